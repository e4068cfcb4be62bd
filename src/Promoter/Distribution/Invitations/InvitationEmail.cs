using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Promoter.Localization;
using Promoter.Platform.Email;

namespace Promoter.Distribution.Invitations;

/// <summary>What an invitation or reminder mail needs to know to be written.</summary>
public sealed record InvitationEmailModel(
    Locale Locale,
    string BrandName,
    string? ContactName,
    string SurveyUrl,
    string UnsubscribeUrl,
    string? UnsubscribeMailbox,
    string? UnsubscribeToken,
    string? AccentColor,
    bool IsReminder);

/// <summary>
/// Writes the invitation (and reminder) mail: HTML that renders in common mail clients (tables, inline styles, no
/// images, no script) with the 0..10 scale as eleven links to <c>/r/{token}?score=N</c>, the same in plain text, and
/// the RFC 8058 one-click unsubscribe headers. Everything from tenants or contacts is encoded and isolated in &lt;bdi&gt;.
/// </summary>
public static class InvitationEmail
{
    private const string DefaultAccent = "#1f5fbf";
    private const string Font = "font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Arabic','Noto Sans Thai',Tahoma,Arial,sans-serif";

    private static readonly HtmlEncoder s_html = HtmlEncoder.Create(UnicodeRanges.All);

    public static EmailContent Write(InvitationEmailModel m)
    {
        var locale = m.Locale;
        var brand = ("brand", (string?)m.BrandName);
        var subject = locale.Text(m.IsReminder ? "email.reminder.subject" : "email.invitation.subject", brand);
        var headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = m.UnsubscribeMailbox is { } mailbox
                ? $"<{m.UnsubscribeUrl}>, <mailto:{mailbox}?subject=unsubscribe%20{m.UnsubscribeToken}>"
                : $"<{m.UnsubscribeUrl}>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            // Out-of-office robots should not answer a survey.
            ["Auto-Submitted"] = "auto-generated",
        };
        return new EmailContent(subject, Html(m, subject), Text(m), headers);
    }

    public static string ScoreUrl(string surveyUrl, int score) => $"{surveyUrl}?score={score.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Left to right as the reader's eye goes: 0…10, or 10…0 in a right-to-left language.</summary>
    public static IEnumerable<int> ScaleOrder(Locale locale) => locale.RightToLeft ? Enumerable.Range(0, 11).Reverse() : Enumerable.Range(0, 11);

    private static string Greeting(InvitationEmailModel m) =>
        m.ContactName is { Length: > 0 } name ? m.Locale.Text("email.invitation.greeting", ("name", name)) : m.Locale.Text("email.invitation.greeting_anonymous");

    private static string Html(InvitationEmailModel m, string subject)
    {
        var l = m.Locale;
        var brand = ("brand", (string?)m.BrandName);
        var dir = l.Direction;
        var start = l.RightToLeft ? "right" : "left";
        var accent = m.AccentColor ?? DefaultAccent;
        var h = new StringBuilder(8 * 1024);
        h.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{l.Code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        h.Append(CultureInfo.InvariantCulture, $"<title>{E(subject)}</title></head>");
        h.Append(CultureInfo.InvariantCulture, $"<body dir=\"{dir}\" style=\"margin:0;padding:0;background:#f3f4f6;\">");
        h.Append(CultureInfo.InvariantCulture, $"<div style=\"display:none;max-height:0;overflow:hidden;\">{E(l.Text("email.invitation.preheader"))}</div>");
        h.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background:#f3f4f6;\"><tr><td align=\"center\" style=\"padding:24px 8px;\">");
        h.Append(CultureInfo.InvariantCulture, $"<table role=\"presentation\" dir=\"{dir}\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:600px;background:#ffffff;border-radius:8px;\">");
        var cell = $"{Font};font-size:16px;line-height:1.5;color:#1f2933;text-align:{start};";
        h.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"padding:28px 28px 4px;{cell}\">");
        h.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 12px;\">{Bdi(Greeting(m), m.ContactName)}</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 16px;\">{E(l.Text(m.IsReminder ? "email.reminder.intro" : "email.invitation.intro"))}</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 12px;font-size:18px;font-weight:bold;\">{Bdi(l.Text("survey.question", brand), m.BrandName)}</p>");
        h.Append("</td></tr>");

        // The scale: its own left-to-right table whose cells are written in reading order, so clients that ignore
        // dir on tables still show 10 on the left in Arabic.
        h.Append("<tr><td style=\"padding:0 20px;\">");
        h.Append("<table role=\"presentation\" dir=\"ltr\" width=\"100%\" cellpadding=\"0\" cellspacing=\"3\" border=\"0\" style=\"table-layout:fixed;\"><tr>");
        foreach (var score in ScaleOrder(l))
        {
            var label = score.ToString(CultureInfo.InvariantCulture);
            h.Append("<td align=\"center\" width=\"9%\" style=\"padding:0;\">");
            h.Append(CultureInfo.InvariantCulture, $"<a href=\"{E(ScoreUrl(m.SurveyUrl, score))}\" style=\"display:block;padding:10px 0;background:{accent};color:#ffffff;border-radius:4px;");
            h.Append(CultureInfo.InvariantCulture, $"{Font};font-size:16px;font-weight:bold;text-decoration:none;text-align:center;\" aria-label=\"{label}\">{label}</a></td>");
        }

        h.Append("</tr></table>");
        var left = l.RightToLeft ? l.Text("survey.scale.high") : l.Text("survey.scale.low");
        var right = l.RightToLeft ? l.Text("survey.scale.low") : l.Text("survey.scale.high");
        h.Append("<table role=\"presentation\" dir=\"ltr\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>");
        h.Append(CultureInfo.InvariantCulture, $"<td dir=\"{dir}\" style=\"{Font};font-size:13px;color:#52606d;text-align:left;padding:4px 3px;\">{E(left)}</td>");
        h.Append(CultureInfo.InvariantCulture, $"<td dir=\"{dir}\" style=\"{Font};font-size:13px;color:#52606d;text-align:right;padding:4px 3px;\">{E(right)}</td>");
        h.Append("</tr></table></td></tr>");

        h.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"padding:16px 28px 4px;{cell}font-size:14px;\">");
        h.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 16px;\">{WithLink(l.Text("email.invitation.open_link", ("url", "\u0001")), m.SurveyUrl, m.SurveyUrl, accent)}</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 8px;\">{Bdi(l.Text("email.invitation.signature", brand), m.BrandName).Replace("\n", "<br>", StringComparison.Ordinal)}</p>");
        h.Append("</td></tr>");
        h.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"padding:16px 28px 24px;border-top:1px solid #e4e7eb;{Font};font-size:12px;line-height:1.5;color:#7b8794;text-align:{start};\">");
        h.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 6px;\">{Bdi(l.Text("email.footer.reason", brand), m.BrandName)}</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0;\"><a href=\"{E(m.UnsubscribeUrl)}\" style=\"color:#7b8794;\">{E(l.Text("email.footer.unsubscribe"))}</a></p>");
        h.Append("</td></tr></table>");
        h.Append("</td></tr></table></body></html>");
        return h.ToString();
    }

    private static string Text(InvitationEmailModel m)
    {
        var l = m.Locale;
        var brand = ("brand", (string?)m.BrandName);
        var t = new StringBuilder(2 * 1024);
        t.Append(Greeting(m)).Append("\n\n");
        t.Append(l.Text(m.IsReminder ? "email.reminder.intro" : "email.invitation.intro")).Append("\n\n");
        t.Append(l.Text("survey.question", brand)).Append("\n\n");
        foreach (var score in Enumerable.Range(0, 11))
        {
            var label = score switch
            {
                0 => $"0 ({l.Text("survey.scale.low")})",
                10 => $"10 ({l.Text("survey.scale.high")})",
                _ => score.ToString(CultureInfo.InvariantCulture),
            };
            t.Append(label).Append(": ").Append(ScoreUrl(m.SurveyUrl, score)).Append('\n');
        }

        t.Append('\n').Append(l.Text("email.invitation.open_link", ("url", m.SurveyUrl))).Append("\n\n");
        t.Append(l.Text("email.invitation.signature", brand)).Append("\n\n-- \n");
        t.Append(l.Text("email.footer.reason", brand)).Append('\n');
        t.Append(l.Text("email.footer.unsubscribe")).Append(": ").Append(m.UnsubscribeUrl).Append('\n');
        return t.ToString();
    }

    private static string E(string text) => s_html.Encode(text);

    /// <summary>Encodes a localized sentence and isolates the tenant's or contact's text inside it, so its direction cannot spill over.</summary>
    private static string Bdi(string sentence, string? userText)
    {
        var encoded = E(sentence);
        if (string.IsNullOrEmpty(userText))
        {
            return encoded;
        }

        var user = E(userText);
        return encoded.Replace(user, $"<bdi>{user}</bdi>", StringComparison.Ordinal);
    }

    private static string WithLink(string sentenceWithMarker, string href, string text, string accent)
    {
        var parts = sentenceWithMarker.Split('\u0001');
        var link = $"<a href=\"{E(href)}\" style=\"color:{accent};word-break:break-all;\">{E(text)}</a>";
        return string.Join(link, parts.Select(E));
    }
}
