namespace Promoter.Demo;

public static class DemoRegistration
{
    /// <summary>The demo workspace seeder (<c>serve --demo</c>, <c>promoter demo</c>).</summary>
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DemoSeeder>();
        return builder;
    }
}
