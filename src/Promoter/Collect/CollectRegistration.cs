using Promoter.Collect.Respondent;

namespace Promoter.Collect;

public static class CollectRegistration
{
    /// <summary>Taking responses in: the group-commit writer, the intake API's idempotency keys, the respondent page.</summary>
    public static IHostApplicationBuilder AddCollect(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ResponseWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ResponseWriter>());
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.AddRespondent();
        return builder;
    }
}
