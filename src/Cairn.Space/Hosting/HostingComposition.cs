using Microsoft.AspNetCore.HttpOverrides;

namespace Cairn.Space.Hosting;

/// <summary>
/// Space behind proxies and on the open network: forwarded headers from known proxies only, HSTS on HTTPS, the
/// antiforgery cookie like the sign-in cookie, and the service endpoints kept to the service networks when restricted.
/// </summary>
public static class HostingComposition
{
    private static readonly string[] s_servicePaths = ["/metrics", "/scalar", "/openapi"];

    public static IServiceCollection AddSpaceHosting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => HostingSettings.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddOptions<ForwardedHeadersOptions>().Configure<HostingSettings>((options, hosting) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.ForwardLimit = null; // a chain of known proxies is walked to the first address that is not one
            options.KnownProxies.Clear(); // the framework's default believes loopback; Space believes only what is configured
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list may still hold loopback and be consulted; it must be empty too
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var network in hosting.KnownProxies)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = false;
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        return services;
    }

    /// <summary>First in the pipeline, so every later step sees the client's address and scheme.</summary>
    public static WebApplication UseSpaceHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hosting = app.Services.GetRequiredService<HostingSettings>();
        if (hosting.KnownProxies.Count > 0)
        {
            // Only with proxies configured: the middleware believes a connection without an IP address (a Unix socket).
            app.UseForwardedHeaders();
        }

        app.UseHsts(); // only on HTTPS requests, and not for localhost
        if (hosting.RestrictServiceEndpoints)
        {
            app.Use(async (context, next) =>
            {
                if (IsServicePath(context.Request.Path) && !hosting.IsServiceClient(context.Connection.RemoteIpAddress))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("This endpoint is open to the service networks only (Space:ServiceNetworks).\n",
                        context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
        }

        return app;
    }

    private static bool IsServicePath(PathString path)
        => s_servicePaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
