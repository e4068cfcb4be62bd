using System.Globalization;
using Promoter.Core;

namespace Promoter.Surveys.Pages;

/// <summary>
/// The survey editor's form. Additional questions are edited in slots (the existing ones plus two empty), and
/// choice options as lines "id | label" per language, so the whole editor works without JavaScript.
/// </summary>
public sealed class SurveyForm
{
    public string? Name { get; set; }
    public string? BrandName { get; set; }
    public SurveyKind Kind { get; set; } = SurveyKind.Relationship;
    public bool Closed { get; set; }
    public List<string> Languages { get; set; } = ["en"];
    public string DefaultLanguage { get; set; } = "en";
    public ScoreCapture ScoreCapture { get; set; } = ScoreCapture.Implicit;
    public bool Anonymous { get; set; }
    public int? ThrottleDays { get; set; }
    public bool RemindersOn { get; set; } = true;
    public int ReminderDays { get; set; } = 3;
    public int EditWindowDays { get; set; } = 7;
    public string? PrimaryColor { get; set; }
    public string? LogoUrl { get; set; }
    public string? AllowedOrigins { get; set; }
    public string? LinkDetractor { get; set; }
    public string? LinkPassive { get; set; }
    public string? LinkPromoter { get; set; }
    public Dictionary<string, SurveyTexts> Texts { get; set; } = [];
    public List<QuestionSlot> Questions { get; set; } = [];

    public sealed class QuestionSlot
    {
        public string? Id { get; set; }
        public QuestionType Type { get; set; } = QuestionType.Text;
        public bool Required { get; set; }
        public List<NpsCategory> ShowTo { get; set; } = [];
        public Dictionary<string, string?> Label { get; set; } = [];
        public Dictionary<string, string?> Options { get; set; } = [];
        public int ScaleMin { get; set; } = 1;
        public int ScaleMax { get; set; } = 5;
        public bool Remove { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(Id) && Label.Values.All(string.IsNullOrWhiteSpace);
    }

    public static SurveyForm From(Survey survey)
    {
        var d = survey.ReadDefinition();
        var form = new SurveyForm
        {
            Name = survey.Name,
            BrandName = survey.BrandName,
            Kind = survey.Kind,
            Closed = survey.IsClosed,
            Languages = [.. survey.LanguageList],
            DefaultLanguage = survey.DefaultLanguage,
            ScoreCapture = survey.ScoreCapture,
            Anonymous = survey.Anonymous,
            ThrottleDays = survey.ThrottleDays,
            RemindersOn = survey.ReminderDays is not null,
            ReminderDays = survey.ReminderDays ?? 3,
            EditWindowDays = survey.EditWindowDays,
            PrimaryColor = d.PrimaryColor,
            LogoUrl = d.LogoUrl,
            AllowedOrigins = string.Join('\n', d.AllowedOrigins),
            LinkDetractor = d.ThankYouLinks.GetValueOrDefault(NpsCategory.Detractor),
            LinkPassive = d.ThankYouLinks.GetValueOrDefault(NpsCategory.Passive),
            LinkPromoter = d.ThankYouLinks.GetValueOrDefault(NpsCategory.Promoter),
            Texts = d.Texts,
        };
        form.Questions = d.Questions.Select(q => new QuestionSlot
        {
            Id = q.Id,
            Type = q.Type,
            Required = q.Required,
            ShowTo = q.ShowTo,
            Label = q.Label.ToDictionary(l => l.Key, l => (string?)l.Value),
            Options = survey.LanguageList.ToDictionary(lang => lang, lang => (string?)string.Join('\n',
                q.Options.Select(o => $"{o.Id} | {o.Label.GetValueOrDefault(lang, "")}"))),
            ScaleMin = q.ScaleMin,
            ScaleMax = q.ScaleMax,
        }).ToList();
        return form;
    }

    /// <summary>Adds empty slots so a new question can be written without scripts.</summary>
    public SurveyForm WithEmptySlots(int count = 2)
    {
        for (var i = 0; i < count; i++)
        {
            Questions.Add(new QuestionSlot());
        }

        return this;
    }

    public SurveyInput ToInput() => new()
    {
        Name = Name,
        BrandName = BrandName,
        Kind = Kind,
        Closed = Closed,
        Languages = Languages,
        DefaultLanguage = DefaultLanguage,
        ScoreCapture = ScoreCapture,
        Anonymous = Anonymous,
        ThrottleDays = ThrottleDays,
        ReminderDays = RemindersOn ? ReminderDays : null,
        EditWindowDays = EditWindowDays,
        PrimaryColor = string.IsNullOrWhiteSpace(PrimaryColor) ? null : PrimaryColor,
        LogoUrl = LogoUrl,
        AllowedOrigins = (AllowedOrigins ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        ThankYouLinks = new[] { (NpsCategory.Detractor, LinkDetractor), (NpsCategory.Passive, LinkPassive), (NpsCategory.Promoter, LinkPromoter) }
            .Where(l => !string.IsNullOrWhiteSpace(l.Item2)).ToDictionary(l => l.Item1, l => l.Item2!.Trim()),
        Texts = Texts.Where(t => Languages.Contains(t.Key) && HasAny(t.Value)).ToDictionary(t => t.Key, t => t.Value),
        Questions = Questions.Where(q => !q.Remove && !q.IsEmpty).Select(ToQuestion).ToList(),
    };

    private AdditionalQuestion ToQuestion(QuestionSlot slot)
    {
        var options = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (language, lines) in slot.Options)
        {
            foreach (var line in (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var bar = line.IndexOf('|', StringComparison.Ordinal);
                var id = (bar < 0 ? line : line[..bar]).Trim();
                var label = (bar < 0 ? line : line[(bar + 1)..]).Trim();
                if (!options.TryGetValue(id, out var labels))
                {
                    options[id] = labels = new Dictionary<string, string>(StringComparer.Ordinal);
                    order.Add(id);
                }

                if (label.Length > 0)
                {
                    labels[language] = label;
                }
            }
        }

        return new AdditionalQuestion
        {
            Id = slot.Id?.Trim() ?? "",
            Type = slot.Type,
            Required = slot.Required,
            ShowTo = slot.ShowTo,
            Label = slot.Label.Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToDictionary(l => l.Key, l => l.Value!),
            Options = slot.Type is QuestionType.SingleChoice or QuestionType.MultipleChoice
                ? order.Select(id => new QuestionOption { Id = id, Label = options[id] }).ToList()
                : [],
            ScaleMin = slot.ScaleMin,
            ScaleMax = slot.ScaleMax,
        };
    }

    private static bool HasAny(SurveyTexts t) =>
        new[] { t.WhyDetractor, t.WhyPassive, t.WhyPromoter, t.ThanksDetractor, t.ThanksPassive, t.ThanksPromoter, t.ThankYouLinkText }
            .Any(v => !string.IsNullOrWhiteSpace(v));

    public static string Days(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
