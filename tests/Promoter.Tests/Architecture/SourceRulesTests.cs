namespace Promoter.Tests.Architecture;

/// <summary>House rules that a compiler cannot see, checked over the source tree.</summary>
public sealed class SourceRulesTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Only_CrossWorkspaceQueries_may_bypass_the_workspace_filter()
    {
        var offenders = SourceFiles("src/Promoter")
            .Where(f => File.ReadAllText(f).Contains("IgnoreQueryFilters", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .Where(f => f != Path.Combine("src", "Promoter", "Accounts", "CrossWorkspaceQueries.cs"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Promoter_Core_does_no_io_and_knows_no_web_or_database()
    {
        string[] forbidden = ["System.IO", "System.Net", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "File.", "Console."];
        var offenders = SourceFiles("src/Promoter.Core")
            .SelectMany(f => forbidden.Where(word => File.ReadAllText(f).Contains(word, StringComparison.Ordinal)).Select(word => $"{Path.GetFileName(f)}: {word}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Pages_never_write_raw_html()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(Root, "src", "Promoter"), "*.cshtml", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("Html.Raw", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();
        Assert.Empty(offenders);
    }

    private static IEnumerable<string> SourceFiles(string relative) =>
        Directory.EnumerateFiles(Path.Combine(Root, relative), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Promoter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Promoter.sln) not found above the test binaries.");
    }
}
