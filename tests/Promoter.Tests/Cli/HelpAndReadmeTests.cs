using System.Text.RegularExpressions;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Cli;

/// <summary>The README's command table and <c>promoter --help</c> name the same commands.</summary>
public sealed partial class HelpAndReadmeTests
{
    [Fact]
    public async Task The_readme_lists_exactly_the_commands_help_lists()
    {
        var fromHelp = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var verb in await CommandsAsync())
        {
            var sub = await CommandsAsync(verb);
            if (sub.Count == 0)
            {
                fromHelp.Add(verb);
            }

            foreach (var name in sub)
            {
                fromHelp.Add(verb + " " + name);
            }
        }

        var fromReadme = new SortedSet<string>(ReadmeCommands(), StringComparer.Ordinal);
        Assert.True(fromHelp.Count >= 10, string.Join(", ", fromHelp));
        Assert.Equal(string.Join("\n", fromHelp), string.Join("\n", fromReadme));
    }

    private static async Task<List<string>> CommandsAsync(params string[] path)
    {
        var help = await PromoterProcess.RunInProcessAsync([.. path, "--help"]);
        Assert.True(help.ExitCode == 0, help.Stderr);
        var lines = help.Stdout.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "Commands:");
        if (start < 0)
        {
            return [];
        }

        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.TrimStart())
            .Where(l => l.Length > 0 && char.IsLetter(l[0]))
            .Select(l => l.Split(' ', 2)[0])
            .ToList();
    }

    private static IEnumerable<string> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var section = readme[readme.IndexOf("## Command line", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        foreach (Match row in TableCommand().Matches(section))
        {
            var words = row.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(w => CommandWord().IsMatch(w));
            yield return string.Join(' ', words);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Promoter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex(@"(?m)^\| `promoter ([^`]*)`")]
    private static partial Regex TableCommand();

    [GeneratedRegex("^[a-z][a-z-]*$")]
    private static partial Regex CommandWord();
}
