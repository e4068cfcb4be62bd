using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Core.Churn;
using Promoter.Data;
using Promoter.Integrations.Webhooks;

namespace Promoter.Churn;

/// <summary>The stored form of a fitted model: what scoring needs.</summary>
public sealed record StoredModel(IReadOnlyList<string> Features, double Intercept, IReadOnlyList<double> Coefficients)
{
    public static StoredModel From(LogisticModel m) => new(m.FeatureNames, m.Intercept, m.Coefficients);

    public LogisticModel ToModel() => LogisticModel.FromCoefficients(Features, Intercept, Coefficients);
}

/// <summary>
/// Recomputes and stores the churn risk of contacts: after a response (in the loop's follow-up transaction), after a
/// case change, and in nightly chunks. Signals come from <see cref="ChurnHistories"/>; the score from the scorer the
/// workspace's model card says is in use (<see cref="ChurnModelSelection.Assess"/>), with the rule table's reasons and
/// playbook actions. A changed score adds a history row; crossing the threshold adds a <c>contact.risk_raised</c> event.
/// </summary>
public sealed class ContactRiskScorer(PromoterDb db, ChurnHistories histories, TimeProvider clock, WebhookEvents webhooks, IOptions<ChurnOptions> options)
{
    /// <summary>Rescores the contacts (unknown ids are skipped) and saves; returns how many were scored.</summary>
    public async Task<int> RescoreAsync(IReadOnlyCollection<Guid> contactIds, CancellationToken ct)
    {
        if (contactIds.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var card = await InUseAsync(ct);
        var loaded = await histories.LoadAsync(contactIds, ct);
        var ids = loaded.Select(l => l.ContactId).ToList();
        var existing = await db.ContactRisks.Where(r => ids.Contains(r.ContactId)).ToDictionaryAsync(r => r.ContactId, ct);
        var accountNps = await AccountNpsAsync(loaded, ct);
        var threshold = options.Value.RaisedThreshold;

        foreach (var contact in loaded)
        {
            var history = contact.Account is { } account && accountNps.TryGetValue(account, out var nps) ? contact.History with { AccountNps = nps } : contact.History;
            var signals = ChurnSignals.From(history, now);
            var assessment = ChurnModelSelection.Assess(card, signals, now);
            var reasons = RiskJson.Reasons(assessment);
            var reasonsJson = RiskJson.Write(reasons);
            var action = assessment.TopAction?.Action.ToWireName();
            var model = assessment.Source == ChurnModelStatus.Fitted ? "fitted" : "rules";

            if (!existing.TryGetValue(contact.ContactId, out var risk))
            {
                risk = new ContactRisk { ContactId = contact.ContactId, ChangedAt = now, Score = -1 };
                db.ContactRisks.Add(risk);
            }

            var previous = risk.Score;
            risk.Reasons = reasonsJson;
            risk.Action = action;
            risk.ModelKind = model;
            risk.Category = signals.Category.ToWireName();
            risk.Account = contact.Account;
            risk.OwnerUserId = contact.OwnerUserId;
            risk.HasUnassignedCase = contact.HasUnassignedCase;
            risk.ComputedAt = now;
            if (previous != assessment.Score)
            {
                risk.Score = assessment.Score;
                risk.ChangedAt = now;
                db.ContactRiskHistory.Add(new ContactRiskHistory
                {
                    ContactId = contact.ContactId, Score = assessment.Score, Action = action, ModelKind = model, Reasons = reasonsJson, At = now,
                });
                if (previous < threshold && assessment.Score >= threshold)
                {
                    webhooks.Add(WebhookEventTypes.ContactRiskRaised, contact.ContactId.ToString(), new
                    {
                        contactId = contact.ContactId,
                        previousScore = previous < 0 ? (int?)null : previous,
                        threshold,
                        risk = RiskDto.From(risk),
                    });
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return loaded.Count;
    }

    /// <summary>The model card in use: the stored fitted model, or the rules.</summary>
    public async Task<ModelCard> InUseAsync(CancellationToken ct)
    {
        var stored = await db.ChurnModels.AsNoTracking().Where(m => m.Status == "fitted" && m.Model != null).Select(m => m.Model).SingleOrDefaultAsync(ct);
        var model = stored is null ? null : JsonSerializer.Deserialize<StoredModel>(stored, WebhookJson.Options)?.ToModel();
        return model is null
            ? RulesOnly
            : new ModelCard(ChurnModelStatus.Fitted, ModelDecision.Fitted, ModelSelectionCriterion.HigherAuc, 0, 0, 0, 0, null, null, null, null, null, [], model);
    }

    private static readonly ModelCard RulesOnly =
        new(ChurnModelStatus.Rules, ModelDecision.NotEnoughEvents, ModelSelectionCriterion.HigherAuc, 0, 0, 0, 0, null, null, null, null, null, [], null);

    /// <summary>NPS (−100..100) of each account among the scored contacts, from the stored categories of its contacts.</summary>
    private async Task<Dictionary<string, double>> AccountNpsAsync(IReadOnlyList<LoadedContact> loaded, CancellationToken ct)
    {
        var accounts = loaded.Where(l => l.Account is not null).Select(l => l.Account!).Distinct().ToList();
        if (accounts.Count == 0)
        {
            return [];
        }

        var counts = await db.ContactRisks.AsNoTracking()
            .Where(r => r.Account != null && accounts.Contains(r.Account) && r.Category != "non_respondent")
            .GroupBy(r => r.Account!)
            .Select(g => new { Account = g.Key, Promoters = g.Count(r => r.Category == "promoter"), Detractors = g.Count(r => r.Category == "detractor"), All = g.Count() })
            .ToListAsync(ct);
        return counts.Where(c => c.All > 0).ToDictionary(c => c.Account, c => 100.0 * (c.Promoters - c.Detractors) / c.All, StringComparer.Ordinal);
    }
}
