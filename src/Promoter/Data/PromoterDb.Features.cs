using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Distribution;
using Promoter.Distribution.Recurring;
using Promoter.Distribution.Sending;
using Promoter.Integrations.Delighted;
using Promoter.Integrations.Webhooks;
using Promoter.Loop;
using Promoter.Metrics;
using Promoter.Platform;
using Promoter.Platform.Email;
using Promoter.Surveys;
using Promoter.Understand;

namespace Promoter.Data;

/// <summary>The feature folders' tables. One set and one configuration line per entity.</summary>
public sealed partial class PromoterDb
{
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<SurveyResponse> Responses => Set<SurveyResponse>();
    public DbSet<ResponseRevision> ResponseRevisions => Set<ResponseRevision>();
    public DbSet<LinkHit> LinkHits => Set<LinkHit>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Rollup> Rollups => Set<Rollup>();
    public DbSet<Benchmark> Benchmarks => Set<Benchmark>();
    public DbSet<SegmentKey> SegmentKeys => Set<SegmentKey>();
    public DbSet<TimeZoneOffset> TimeZoneOffsets => Set<TimeZoneOffset>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<OutboundEmail> OutboundEmails => Set<OutboundEmail>();
    public DbSet<EmailSuppression> EmailSuppressions => Set<EmailSuppression>();
    public DbSet<DelightedPerson> DelightedPeople => Set<DelightedPerson>();
    public DbSet<Send> Sends => Set<Send>();
    public DbSet<RecurringEnrollment> RecurringEnrollments => Set<RecurringEnrollment>();
    public DbSet<Distribution.Batches.BatchJob> BatchJobs => Set<Distribution.Batches.BatchJob>();
    public DbSet<LoopSettings> LoopSettings => Set<LoopSettings>();
    public DbSet<FollowUpCase> Cases => Set<FollowUpCase>();
    public DbSet<CaseActivity> CaseActivities => Set<CaseActivity>();
    public DbSet<AlertRule> AlertRules => Set<AlertRule>();
    public DbSet<LoopQueueItem> LoopQueue => Set<LoopQueueItem>();
    public DbSet<AlertPost> AlertPosts => Set<AlertPost>();
    public DbSet<AlertDigestItem> AlertDigestItems => Set<AlertDigestItem>();
    public DbSet<TextQueueItem> TextQueue => Set<TextQueueItem>();
    public DbSet<IndexedResponse> IndexedResponses => Set<IndexedResponse>();
    public DbSet<TermEntry> Terms => Set<TermEntry>();
    public DbSet<TermForm> TermForms => Set<TermForm>();
    public DbSet<ResponseTerm> ResponseTerms => Set<ResponseTerm>();
    public DbSet<TermRollup> TermRollups => Set<TermRollup>();
    public DbSet<TermMonth> TermMonths => Set<TermMonth>();
    public DbSet<Theme> Themes => Set<Theme>();
    public DbSet<ThemeTerm> ThemeTerms => Set<ThemeTerm>();
    public DbSet<ResponseTheme> ResponseThemes => Set<ResponseTheme>();
    public DbSet<ThemeJob> ThemeJobs => Set<ThemeJob>();

    static partial void ConfigureFeatures(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new SurveyConfiguration());
        modelBuilder.ApplyConfiguration(new SurveyResponseConfiguration());
        modelBuilder.ApplyConfiguration(new ResponseRevisionConfiguration());
        modelBuilder.ApplyConfiguration(new LinkHitConfiguration());
        modelBuilder.ApplyConfiguration(new ContactConfiguration());
        modelBuilder.ApplyConfiguration(new InvitationConfiguration());
        modelBuilder.ApplyConfiguration(new IdempotencyRecordConfiguration());
        modelBuilder.ApplyConfiguration(new RollupConfiguration());
        modelBuilder.ApplyConfiguration(new BenchmarkConfiguration());
        modelBuilder.ApplyConfiguration(new SegmentKeyConfiguration());
        modelBuilder.ApplyConfiguration(new TimeZoneOffsetConfiguration());
        modelBuilder.ApplyConfiguration(new RollupSuspensionConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookEndpointConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookEventConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookAttemptConfiguration());
        modelBuilder.ApplyConfiguration(new OutboundEmailConfiguration());
        modelBuilder.ApplyConfiguration(new EmailSuppressionConfiguration());
        modelBuilder.ApplyConfiguration(new DelightedPersonConfiguration());
        modelBuilder.ApplyConfiguration(new SendConfiguration());
        modelBuilder.ApplyConfiguration(new RecurringEnrollmentConfiguration());
        modelBuilder.ApplyConfiguration(new Distribution.Batches.BatchJobConfiguration());
        modelBuilder.ApplyConfiguration(new LoopSettingsConfiguration());
        modelBuilder.ApplyConfiguration(new FollowUpCaseConfiguration());
        modelBuilder.ApplyConfiguration(new CaseActivityConfiguration());
        modelBuilder.ApplyConfiguration(new AlertRuleConfiguration());
        modelBuilder.ApplyConfiguration(new LoopQueueItemConfiguration());
        modelBuilder.ApplyConfiguration(new AlertPostConfiguration());
        modelBuilder.ApplyConfiguration(new AlertDigestItemConfiguration());
        modelBuilder.ApplyConfiguration(new TextQueueItemConfiguration());
        modelBuilder.ApplyConfiguration(new IndexedResponseConfiguration());
        modelBuilder.ApplyConfiguration(new TermEntryConfiguration());
        modelBuilder.ApplyConfiguration(new TermFormConfiguration());
        modelBuilder.ApplyConfiguration(new ResponseTermConfiguration());
        modelBuilder.ApplyConfiguration(new TermRollupConfiguration());
        modelBuilder.ApplyConfiguration(new TermMonthConfiguration());
        modelBuilder.ApplyConfiguration(new ThemeConfiguration());
        modelBuilder.ApplyConfiguration(new ThemeTermConfiguration());
        modelBuilder.ApplyConfiguration(new ResponseThemeConfiguration());
        modelBuilder.ApplyConfiguration(new ThemeJobConfiguration());
    }
}
