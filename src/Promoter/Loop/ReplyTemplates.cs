using Promoter.Core;
using Promoter.Localization;

namespace Promoter.Loop;

public enum ReplyTemplate
{
    Detractor,
    Passive,
    Promoter,

    /// <summary>"Tell them what we did": the message that closes the loop.</summary>
    Closing,
}

/// <summary>
/// The reply a team member starts from, in the respondent's language (<c>reply.*</c> in the locale files): listen and
/// apologise to a detractor, make a passive an offer, thank a promoter and ask for a review. Plain text; the <c>…</c>
/// marks what the agent fills in.
/// </summary>
public static class ReplyTemplates
{
    public static ReplyTemplate ForCategory(NpsCategory category) => category switch
    {
        NpsCategory.Detractor => ReplyTemplate.Detractor,
        NpsCategory.Passive => ReplyTemplate.Passive,
        _ => ReplyTemplate.Promoter,
    };

    public static string Key(ReplyTemplate template) => template.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out ReplyTemplate template) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out template) && Enum.IsDefined(template);

    public static (string Subject, string Body) Fill(Locale locale, ReplyTemplate template, string? name, string brand, string agent, string? link)
    {
        (string, string?)[] values = [("name", string.IsNullOrWhiteSpace(name) ? "" : name), ("brand", brand), ("agent", agent), ("link", link ?? "")];
        var key = Key(template);
        var subject = locale.Text($"reply.{key}.subject", values).Replace(" ,", ",", StringComparison.Ordinal).Trim();
        var body = locale.Text($"reply.{key}.body", values).Replace(" ,\n", ",\n", StringComparison.Ordinal);
        return (subject, body);
    }
}
