using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Localization;
using Promoter.Platform;
using Promoter.Platform.Email;
using Promoter.Surveys;

namespace Promoter.Distribution.Invitations;

/// <summary>
/// Creates invitations and queues their mail. Everything that decides whether and when a person is surveyed happens
/// here and again at send time (<see cref="InvitationComposer"/>): suppression, the throttle window, quiet hours.
/// An invitation that is not sent is still recorded, as throttled or suppressed, with the reason. Nothing is committed
/// here: the caller's <c>SaveChanges</c> (one invitation) or transaction (a batch chunk) commits invitations and their
/// mail together.
/// </summary>
public sealed class InvitationScheduler(PromoterDb db, EmailOutbox outbox, LanguageChooser languages, TimeProvider clock, IOptions<DistributionOptions> options)
{
    /// <summary>The snapshot keeps these properties in their own columns too, as the response does.</summary>
    public const string TeamMemberProperty = "team_member";

    public const string TouchpointProperty = "touchpoint";

    private readonly Dictionary<Guid, Survey> _surveys = [];
    private Accounts.Workspace? _workspace;

    // Filled by PrefetchAsync for a batch: contacts known to have nothing that could throttle them, and addresses
    // known not to be suppressed, so their invitations need no look-up of their own.
    private readonly HashSet<Guid> _unthrottled = [];
    private readonly HashSet<string> _unsuppressed = new(StringComparer.Ordinal);

    /// <summary>
    /// For batch callers (thousands of contacts per unit of work): finds in a few queries which of these contacts have
    /// no suppression and nothing at all (sent or scheduled invitation, response) inside a window wider than any
    /// throttle window could be. <see cref="ScheduleAsync(Guid, Contact, IReadOnlyDictionary{string, string}?, TimeSpan?, Guid?, CancellationToken)"/>
    /// skips the per-contact checks for exactly those; everyone else is checked one by one as usual, so the outcome
    /// is the same as without prefetching.
    /// </summary>
    private async Task PrefetchAsync(Guid surveyId, IReadOnlyList<Contact> contacts, CancellationToken ct)
    {
        var survey = await SurveyAsync(surveyId, ct);
        var workspace = _workspace ??= await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == db.Workspace.RequiredWorkspaceId, ct);
        var windowDays = survey.ThrottleDays ?? workspace.ThrottleDays;
        // Local midnight (days − 1) days back is never earlier than (days + 1) UTC days back, whatever the zone.
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-(windowDays + 1));
        foreach (var part in contacts.Chunk(2_000))
        {
            var ids = part.Select(c => c.Id).ToList();
            var busy = new HashSet<Guid>(await db.Invitations.AsNoTracking()
                .Where(i => EF.Parameter(ids).Contains(i.ContactId) && ((i.SentAt != null && i.SentAt >= since) || i.Status == InvitationStatus.Scheduled))
                .Select(i => i.ContactId).Distinct().ToListAsync(ct));
            busy.UnionWith(await RespondedSince(db, ids, since).ToListAsync(ct));
            _unthrottled.UnionWith(ids.Where(id => !busy.Contains(id)));

            var keys = part.Where(c => c.Email is not null).Select(c => EmailAddresses.Key(c.Email!)).Distinct().ToList();
            var suppressed = new HashSet<string>(await db.EmailSuppressions.AsNoTracking().Where(x => EF.Parameter(keys).Contains(x.EmailKey))
                .Select(x => x.EmailKey).Distinct().ToListAsync(ct), StringComparer.Ordinal);
            _unsuppressed.UnionWith(keys.Where(k => !suppressed.Contains(k)));
        }
    }

    /// <summary>Which of these contacts responded at or after <paramref name="since"/> (on SQLite this needs current planner statistics: <see cref="SqliteStatistics"/>).</summary>
    internal static IQueryable<Guid> RespondedSince(PromoterDb db, List<Guid> contactIds, DateTime since) =>
        db.Responses.AsNoTracking()
            .Where(r => r.ContactId != null && EF.Parameter(contactIds).Contains(r.ContactId.Value) && r.RespondedAt >= since)
            .Select(r => r.ContactId!.Value).Distinct();

    /// <summary>
    /// Invites <paramref name="contact"/> (already saved or added to this unit of work) to <paramref name="surveyId"/>
    /// after <paramref name="delay"/>, on behalf of <paramref name="sendId"/> (null for a touchpoint trigger).
    /// </summary>
    public async Task<Invitation> ScheduleAsync(Guid surveyId, Contact contact, IReadOnlyDictionary<string, string>? properties, TimeSpan? delay, Guid? sendId,
        CancellationToken cancellationToken) =>
        await ScheduleAsync(surveyId, contact, properties, delay, sendId, 0, cancellationToken);

    /// <summary>As above, for round <paramref name="occurrence"/> of a recurring send.</summary>
    public async Task<Invitation> ScheduleAsync(Guid surveyId, Contact contact, IReadOnlyDictionary<string, string>? properties, TimeSpan? delay, Guid? sendId,
        int occurrence, CancellationToken ct)
    {
        var (invitation, mail) = await PlanAsync(surveyId, contact, properties, delay, sendId, occurrence, ct);
        db.Invitations.Add(invitation);
        if (mail is not null)
        {
            outbox.Track(mail);
        }

        return invitation;
    }

    /// <summary>
    /// Invites every contact of one chunk of a batch send in the caller's transaction, written with multi-row
    /// statements instead of the change tracker (ADR-013). Decides exactly as <see cref="ScheduleAsync(Guid, Contact, IReadOnlyDictionary{string, string}?, TimeSpan?, Guid?, CancellationToken)"/>;
    /// a contact whose stored data the rules refuse (e.g. too many properties) is skipped, not fatal. The caller
    /// calls <see cref="EmailOutbox.Notify"/> once it has committed.
    /// </summary>
    public async Task<BatchOutcome> ScheduleBatchAsync(Guid surveyId, IReadOnlyList<Contact> contacts, Guid sendId, CancellationToken ct)
    {
        await PrefetchAsync(surveyId, contacts, ct);
        var invitations = new List<Invitation>(contacts.Count);
        var mails = new List<OutboundEmail>(contacts.Count);
        var refused = 0;
        foreach (var contact in contacts)
        {
            try
            {
                var (invitation, mail) = await PlanAsync(surveyId, contact, null, null, sendId, 0, ct);
                invitations.Add(invitation);
                if (mail is not null)
                {
                    mails.Add(mail);
                }
            }
            catch (RequestValidationException)
            {
                refused++;
            }
        }

        await db.BulkInsertAsync(invitations, ct);
        await db.BulkInsertAsync(mails, ct);
        return new BatchOutcome(mails.Count, invitations.Count - mails.Count + refused);
    }

    /// <summary>How one chunk went: invitations queued to be mailed, and contacts not mailed (throttled, suppressed, refused).</summary>
    public readonly record struct BatchOutcome(int Queued, int Skipped);

    /// <summary>Decides one invitation and its mail (null when it is not sent) without adding either to the unit of work.</summary>
    private async Task<(Invitation Invitation, OutboundEmail? Mail)> PlanAsync(Guid surveyId, Contact contact, IReadOnlyDictionary<string, string>? properties,
        TimeSpan? delay, Guid? sendId, int occurrence, CancellationToken ct)
    {
        var survey = await SurveyAsync(surveyId, ct);
        var workspace = _workspace ??= await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == db.Workspace.RequiredWorkspaceId, ct);
        if (survey.IsClosed)
        {
            throw new ConflictException("survey_closed", "The survey is closed; it takes no new invitations.");
        }

        if (contact.Email is null || !EmailAddresses.TryNormalize(contact.Email, out var address))
        {
            throw RequestValidationException.For("contact.email", "The contact needs a valid email address to be invited by email.");
        }

        if (delay is { } d && d < TimeSpan.Zero)
        {
            throw RequestValidationException.For("delaySeconds", "Use a delay of zero or more seconds.");
        }

        var snapshot = Snapshot(contact, properties);
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = QuietHours.ZoneOf(contact.TimeZone, workspace.TimeZone);
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(),
            SurveyId = survey.Id,
            ContactId = contact.Id,
            SendId = sendId,
            Occurrence = occurrence,
            Token = InvitationTokens.NewSurveyToken(),
            UnsubscribeToken = InvitationTokens.NewUnsubscribeToken(),
            Status = InvitationStatus.Scheduled,
            Channel = Collect.Channels.Email,
            Language = languages.Choose(survey.LanguageList, survey.DefaultLanguage, null, contact.Locale, null).Code,
            TeamMember = snapshot.GetValueOrDefault(TeamMemberProperty),
            Touchpoint = snapshot.GetValueOrDefault(TouchpointProperty),
            Properties = PropertyBags.Write(snapshot) ?? "{}",
            CreatedAt = now,
        };
        invitation.ScheduledAt = QuietHours.NextAllowed(now + (delay ?? TimeSpan.Zero), zone, options.Value, invitation.Id);

        if (!_unsuppressed.Contains(EmailAddresses.Key(address)) && await IsSuppressedAsync(address, ct) is { } reason)
        {
            invitation.Status = InvitationStatus.Suppressed;
            invitation.StatusReason = $"Not sent: the address is on the suppression list ({reason}).";
            return (invitation, null);
        }

        var windowDays = survey.ThrottleDays ?? workspace.ThrottleDays;
        if (windowDays > 0 && !_unthrottled.Contains(contact.Id)
            && await ThrottleWindow.FindAsync(db, contact.Id, invitation.Id, ThrottleWindow.Since(invitation.ScheduledAt, windowDays, zone), includeScheduled: true, ct) is { } hit)
        {
            invitation.Status = InvitationStatus.Throttled;
            invitation.StatusReason = $"Throttled: {hit.What}, within the {windowDays}-day window.";
            return (invitation, null);
        }

        return (invitation, outbox.CreateScheduled(EmailKinds.Invitation, address, invitation.Id, invitation.ScheduledAt, DedupeKey(invitation.Id), contact.Name));
    }

    public static string DedupeKey(Guid invitationId) => $"invitation:{invitationId:N}";

    public static string ReminderDedupeKey(Guid invitationId) => $"reminder:{invitationId:N}";

    /// <summary>The contact's properties with the trigger's on top (an order id, a product, who served them); at most 50.</summary>
    private static Dictionary<string, string> Snapshot(Contact contact, IReadOnlyDictionary<string, string>? properties)
    {
        var snapshot = PropertyBags.Read(contact.Properties);
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            snapshot[key] = value;
        }

        if (snapshot.Count > TextInput.MaxPropertyKeys)
        {
            throw RequestValidationException.For("properties",
                $"The contact's and the invitation's properties together exceed {TextInput.MaxPropertyKeys} keys ({snapshot.Count}).");
        }

        return snapshot;
    }

    private async Task<Survey> SurveyAsync(Guid id, CancellationToken ct)
    {
        if (!_surveys.TryGetValue(id, out var survey))
        {
            survey = await db.Surveys.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("survey");
            _surveys[id] = survey;
        }

        return survey;
    }

    private async Task<string?> IsSuppressedAsync(string address, CancellationToken ct)
    {
        var key = EmailAddresses.Key(address);
        var reasons = await db.EmailSuppressions.AsNoTracking().Where(s => s.EmailKey == key).Select(s => s.Reason).ToListAsync(ct);
        return reasons.Where(r => EmailSuppression.Blocks(r, EmailKinds.Invitation)).Select(r => r.ToString().ToLowerInvariant()).FirstOrDefault();
    }
}
