namespace Cairn.Space.Cluster;

/// <summary>What lets replicas share one database: the replica's id and lease, the periodic schedule, the cluster's figures.</summary>
public static class ClusterComposition
{
    public static IServiceCollection AddSpaceCluster(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => ClusterSettings.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<PeriodicSchedule>();
        services.AddSingleton<ClusterFigures>();
        services.AddHostedService<ClusterFiguresRefresh>();
        return services;
    }
}
