using System.Text;
using Promoter.Localization;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>
/// The mail a respondent gets from a case: who wrote, the agent's text (plain text, encoded for HTML, in the respondent's
/// writing direction) and the link to answer on the reply page — no inbound mail server needed.
/// </summary>
public static class ReplyMail
{
    public static EmailContent Compose(Locale locale, string subject, string body, string agent, string brand, string replyUrl)
    {
        var intro = locale.Text("reply.email.intro", ("agent", agent), ("brand", brand));
        var answer = locale.Text("reply.email.answer_link", ("url", replyUrl));
        var text = $"{intro}\n\n{body}\n\n{answer}\n";
        var html = new StringBuilder()
            .Append("<div lang=\"").Append(locale.Code).Append("\" dir=\"").Append(locale.Direction).Append("\">")
            .Append("<p>").Append(AlertMail.E(intro)).Append("</p>");
        foreach (var paragraph in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(AlertMail.Paragraphs(paragraph)).Append("</p>");
        }

        html.Append("<p><a href=\"").Append(AlertMail.E(replyUrl)).Append("\">").Append(AlertMail.E(answer)).Append("</a></p></div>");
        return new EmailContent(EmailHeaders.Flatten(subject), html.ToString(), text);
    }
}
