using Cairn.Space.Accounts;
using Cairn.Space.Data;
using Cairn.Space.Web.Browse;
using Cairn.Space.Web.Plans;
using Microsoft.AspNetCore.DataProtection;

namespace Cairn.Space.Web;

/// <summary>The web console's services and endpoints: Razor components rendered on the server, its cookie scheme and its files.</summary>
public static class ConsoleComposition
{
    public static IServiceCollection AddSpaceConsole(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRazorComponents();
        services.AddSingleton<BrowseBundle>();
        services.AddScoped<OperatorCheck>();
        services.AddScoped<TaskPlans>();
        services.AddSingleton(sp => ConsoleSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddAuthentication().AddCookie(ConsoleAuthentication.Scheme, ConsoleAuthentication.Configure);
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuthentication.Policy, p => p
            .AddAuthenticationSchemes(ConsoleAuthentication.Scheme)
            .RequireClaim(SpaceClaims.AccountId));

        // Sign-in cookies and form tokens stay valid across restarts and replicas: the keys live in the database
        // (Hosting/ConsoleKeys.cs makes the first one at start).
        services.AddDataProtection().SetApplicationName("Cairn.Space").PersistKeysToDbContext<SpaceDbContext>();
        return services;
    }

    /// <summary>Call after authentication and authorization are in the pipeline (antiforgery must follow them).</summary>
    public static WebApplication MapSpaceConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapPost(ConsoleAuthentication.SignOutPath, ConsoleAuthentication.SignOutAsync).ExcludeFromDescription()
            .RequireAuthorization(ConsoleAuthentication.Policy); // the form's token is bound to the signed-in user
        app.MapBrowseRepositoryApi(); // the "Browse files" page's read-only, cookie-authorized repository route
        app.MapLiveRunsApi(); // the runs of an instance's plans for console-runs.js: cookie-authorized, read-only
        app.MapRazorComponents<App>();
        return app;
    }
}
