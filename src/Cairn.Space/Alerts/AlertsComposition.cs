namespace Cairn.Space.Alerts;

/// <summary>Alerts when backups stop (issue 15, item 5): settings, rules, the outbox and its senders, the monitor.</summary>
public static class AlertsComposition
{
    public static IServiceCollection AddSpaceAlerts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => AlertSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddAlertHttp();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<PushSender>();
        services.AddSingleton<ChannelSender>();
        services.AddScoped<FiringConditions>();
        services.AddScoped<IncidentBook>();
        services.AddScoped<AlertOutbox>();
        services.AddScoped<AlertJobs>();
        services.AddScoped<AlertService>();
        services.AddHostedService<AlertMonitor>();
        return services;
    }
}
