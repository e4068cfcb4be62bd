using System.Net;
using System.Text;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>The mail a team member gets for one alert or one digest. Respondent text is always HTML-encoded and kept out of headers.</summary>
public static class AlertMail
{
    public static EmailContent For(AlertRule rule, AlertFacts f)
    {
        var subject = EmailHeaders.Flatten($"{Capitalised(f.Category)} ({f.Response.Score}) on {f.SurveyName} — {rule.Name}");
        if (subject.Length > EmailHeaders.MaxSubject)
        {
            subject = subject[..EmailHeaders.MaxSubject];
        }

        var text = new StringBuilder();
        text.Append(f.Who).Append(" answered ").Append(f.Response.Score).Append(" (").Append(f.Category).Append(") on ").Append(f.SurveyName).Append(".\n");
        if (f.Response.Comment is { } comment)
        {
            text.Append("\n\"").Append(comment).Append("\"\n");
        }

        if (f.Case is { } c)
        {
            text.Append("\nCase owner: ").Append(f.OwnerName ?? "unassigned");
            if (c.DueAt is { } due)
            {
                text.Append(", due ").Append(due.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
            }

            text.Append("\nOpen the case: ").Append(f.CaseUrl).Append('\n');
        }

        var html = new StringBuilder();
        html.Append("<p>").Append(E(f.Who)).Append(" answered <strong>").Append(f.Response.Score).Append("</strong> (").Append(E(f.Category))
            .Append(") on ").Append(E(f.SurveyName)).Append(".</p>");
        if (f.Response.Comment is { } said)
        {
            html.Append("<blockquote dir=\"auto\">").Append(Paragraphs(said)).Append("</blockquote>");
        }

        if (f.Case is { } open)
        {
            html.Append("<p>Case owner: ").Append(E(f.OwnerName ?? "unassigned"));
            if (open.DueAt is { } due)
            {
                html.Append(", due ").Append(due.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
            }

            html.Append("</p><p><a href=\"").Append(E(f.CaseUrl ?? "")).Append("\">Open the case</a></p>");
        }

        return new EmailContent(subject, html.ToString(), text.ToString());
    }

    public static string E(string value) => WebUtility.HtmlEncode(value);

    /// <summary>Plain text as HTML: encoded, line breaks kept.</summary>
    public static string Paragraphs(string value) => E(value).Replace("\n", "<br>", StringComparison.Ordinal);

    public static string Capitalised(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];
}
