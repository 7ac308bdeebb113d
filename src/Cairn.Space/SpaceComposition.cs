using Cairn.Space.Accounts;
using Cairn.Space.Admin;
using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Agents;
using Cairn.Space.Alerts;
using Cairn.Space.Backups;
using Cairn.Space.Backups.Protocol;
using Cairn.Space.Backups.Stores;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.CloudRestore.Ssh;
using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Cairn.Space.Instances;
using Cairn.Space.Plans;
using Cairn.Space.Usage;
using Cairn.Space.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace Cairn.Space;

/// <summary>Space's services and endpoints, shared by <c>Program</c> and by tests that host Space themselves.</summary>
public static class SpaceComposition
{
    public static WebApplicationBuilder AddSpace(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Read lazily, so hosts (tests) that add configuration late are still heard.
        services.AddSingleton(sp => SpaceSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => PriceSheet.Load(sp.GetRequiredService<SpaceSettings>().PriceSheetPath));
        services.TryAddSingleton(TimeProvider.System);
        // Both providers' contexts are registered; the settings, read when first asked for, say which one is Space's.
        services.AddDbContext<SqliteSpaceDbContext>((sp, options) => SpaceDatabase.Configure(options, sp.GetRequiredService<SpaceSettings>()));
        services.AddDbContext<PostgresSpaceDbContext>((sp, options) => SpaceDatabase.Configure(options, sp.GetRequiredService<SpaceSettings>()));
        services.AddScoped<SpaceDbContext>(sp => sp.GetRequiredService<SpaceSettings>().PostgresConnectionString is null
            ? sp.GetRequiredService<SqliteSpaceDbContext>()
            : sp.GetRequiredService<PostgresSpaceDbContext>());

        services.AddSingleton(RepositoryStorage.Create); // Space:Storage: a local folder or an S3 bucket
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<SpaceMetrics>();
        services.AddScoped<ClusterGate>();
        services.AddSpaceCluster(); // replica id, leased schedules and the cluster's metrics (src/Cairn.Space/Cluster)
        services.AddSingleton(sp => RepositoryLimits.From(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<LockOwnership>();
        services.AddScoped<AccountService>();
        services.AddScoped<InstanceService>();
        services.AddScoped<BackupTaskService>();
        services.AddScoped<UsageRecorder>();
        services.AddScoped<StoredObjectLedger>();
        services.AddScoped<SnapshotReadability>();
        services.AddSingleton(sp => Backups.PasswordCheck.PasswordCheckSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Backups.PasswordCheck.PasswordCheckThrottle>();
        services.AddScoped<Backups.PasswordCheck.BackupPasswordCheck>();
        services.AddScoped<StorageMetering>();
        services.AddScoped<QuotaPolicy>();
        services.AddScoped<UsageJobs>();
        services.AddScoped<RepositoryUrls>();
        services.AddScoped<SpaceOverview>();
        services.AddScoped<PlanRevisions>();
        services.AddScoped<PlanService>();
        services.AddScoped<InstanceCommands>();
        services.AddScoped<RunService>();
        services.AddScoped<AgentService>();
        services.AddScoped<AgentCredentials>();
        services.AddScoped<AgentSync>();
        services.AddHttpContextAccessor();
        services.AddSpaceSignIn(); // rate limits, lockout, two-factor, account limits (src/Cairn.Space/Accounts/SignIn)
        services.AddSpaceHosting(); // proxies, HSTS, restricted service endpoints

        services.AddHostedService<SpaceStartup>();
        services.AddHostedService<UsageMonitor>();
        services.AddSpaceAlerts(); // alerts when backups stop (src/Cairn.Space/Alerts)
        services.AddSpaceCloud(); // restores to cloud instances and billing (src/Cairn.Space/CloudRestore, Billing)

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(SpaceClaims.BearerScheme, null)
            .AddScheme<AuthenticationSchemeOptions, InstanceCredentialHandler>(SpaceClaims.BasicScheme, null)
            .AddScheme<AuthenticationSchemeOptions, AgentTokenHandler>(SpaceClaims.AgentScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(SpaceClaims.ApiPolicy, p => p.AddAuthenticationSchemes(SpaceClaims.BearerScheme).RequireClaim(SpaceClaims.AccountId))
            .AddPolicy(SpaceClaims.OperatorPolicy, p => p.AddAuthenticationSchemes(SpaceClaims.BearerScheme).RequireClaim(SpaceClaims.Operator))
            .AddPolicy(SpaceClaims.RepositoryPolicy, p => p.AddAuthenticationSchemes(SpaceClaims.BasicScheme).RequireClaim(SpaceClaims.InstanceId))
            .AddPolicy(SpaceClaims.AgentPolicy, p => p.AddAuthenticationSchemes(SpaceClaims.AgentScheme).RequireClaim(SpaceClaims.AgentId));

        services.AddProblemDetails();
        services.AddExceptionHandler<SpaceProblems>();
        services.AddOpenApi();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(SpaceMetrics.MeterName)
            .AddPrometheusExporter());
        services.AddSpaceConsole(); // the web console (src/Cairn.Space/Web)
        return builder;
    }

    public static WebApplication MapSpace(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSpaceHosting(); // first: forwarded headers from known proxies only
        app.UseExceptionHandler();
        // A console address that leads nowhere gets the console's HTML "not found" page (with 404); the API, the
        // repository protocol and the service endpoints keep their problem+json: for them the inner re-execution is
        // switched off, so the outer status code page answers. (A UseWhen branch would lose the app's routing.)
        app.UseStatusCodePages();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use(next => context =>
        {
            if (!IsConsoleRequest(context) && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
        app.UseRepositoryRequestMetrics();
        app.UseRepositoryPathGuard(); // inside the metrics, so refused targets are counted too
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthApi(); // /healthz (liveness) and /healthz/ready (database and store)
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi();
        app.MapScalarApiReference("/scalar");

        app.MapAccountsApi();
        app.MapInstancesApi();
        app.MapPlansApi(); // plans, runs and agents of an instance (issue 15, docs/agent-protocol.md)
        app.MapAgentsApi();
        app.MapAgentProtocolApi();
        app.MapAlertsApi();
        app.MapBackupsApi();
        app.MapUsageApi();
        app.MapAdminApi();
        app.MapCatalogApi();
        app.MapSshKeysApi();
        app.MapRestoresApi();
        app.MapCloudInstancesApi();
        app.MapBillingApi();
        app.MapAdminBillingApi();
        app.MapAdminOverviewApi();
        app.MapRepositoryApi();
        app.MapSpaceConsole(); // after authorization: antiforgery must follow it
        return app;
    }

    // Paths programs read (the API, the REST protocol, the Browse page's repository route, service endpoints), not people.
    private static readonly string[] MachinePaths = ["/api", "/repo", "/browse-repo", "/healthz", "/metrics", "/openapi", "/scalar"];

    private static bool IsConsoleRequest(HttpContext context)
        => (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
           && !MachinePaths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
