namespace Promoter.Platform.Email;

/// <summary>
/// The kinds of mail Promoter sends. Survey mail (invitations and reminders) is what people unsubscribe from; it
/// carries the one-click unsubscribe headers. Mail to team members, and a person's reply thread, are not survey mail.
/// </summary>
public static class EmailKinds
{
    public const string Invitation = "invitation";
    public const string Reminder = "reminder";
    public const string Alert = "alert";
    public const string Digest = "digest";
    public const string Escalation = "escalation";
    public const string CaseReply = "case-reply";
    public const string CaseNotice = "case-notice";
    public const string WebhookDisabled = "webhook-disabled";

    public static bool IsSurveyMail(string kind) => kind is Invitation or Reminder;
}
