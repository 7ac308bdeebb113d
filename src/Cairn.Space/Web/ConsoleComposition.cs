using Cairn.Space.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Cairn.Space.Web;

/// <summary>The web console's services and endpoints: Razor components rendered on the server, its cookie scheme and its files.</summary>
public static class ConsoleComposition
{
    public static IServiceCollection AddSpaceConsole(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRazorComponents();
        services.AddAuthentication().AddCookie(ConsoleAuthentication.Scheme, ConsoleAuthentication.Configure);
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuthentication.Policy, p => p
            .AddAuthenticationSchemes(ConsoleAuthentication.Scheme)
            .RequireClaim(SpaceClaims.AccountId));

        // Sign-in cookies and form tokens stay valid across restarts: the keys live in the data folder.
        services.AddDataProtection().SetApplicationName("Cairn.Space");
        services.AddOptions<KeyManagementOptions>().Configure<SpaceSettings, ILoggerFactory>((options, settings, logs)
            => options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(settings.DataPath, "console-keys")), logs));
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
        app.MapRazorComponents<App>();
        return app;
    }
}
