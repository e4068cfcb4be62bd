using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Promoter.Surveys;

public static class SurveysRegistration
{
    /// <summary>Survey design: validation and storage of questions, texts and rules, and the editor pages.</summary>
    public static IHostApplicationBuilder AddSurveys(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SurveyEditor>();
        // The editor page serves both "edit" (its own route) and "new".
        builder.Services.Configure<RazorPagesOptions>(o => o.Conventions.AddPageRoute("/Surveys/Pages/Edit", "surveys/new"));
        return builder;
    }
}
