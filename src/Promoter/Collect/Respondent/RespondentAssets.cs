using Microsoft.AspNetCore.Html;

namespace Promoter.Collect.Respondent;

/// <summary>
/// The respondent page's style sheet and script, shipped inside the executable and written inline (under the
/// response's CSP nonce): the first view is one request, with nothing else to fetch. They are our own files,
/// never user input, which is why they may be written without encoding.
/// </summary>
public sealed class RespondentAssets
{
    public RespondentAssets()
    {
        Css = new HtmlString(Load("Promoter.Respondent.css"));
        Script = new HtmlString(Load("Promoter.Respondent.js"));
    }

    public HtmlString Css { get; }
    public HtmlString Script { get; }

    private static string Load(string name)
    {
        using var stream = typeof(RespondentAssets).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        // Only the indentation goes: the files stay readable in the repository and cost fewer bytes on the wire.
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }
}
