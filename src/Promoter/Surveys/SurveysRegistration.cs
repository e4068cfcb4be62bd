namespace Promoter.Surveys;

public static class SurveysRegistration
{
    /// <summary>Survey design: validation and storage of questions, texts and rules.</summary>
    public static IHostApplicationBuilder AddSurveys(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SurveyEditor>();
        return builder;
    }
}
