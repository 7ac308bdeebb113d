using Cairn.Space.Billing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Space.CloudRestore;

/// <summary>The restore-to-cloud services: catalog, orders, the job runner and its drivers; billing with its ledger.</summary>
public static class CloudComposition
{
    public static IServiceCollection AddSpaceCloud(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => CloudCatalog.Load(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<BackupPasswordHolder>();
        services.AddSingleton(sp => Worker.CloudRestoreSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<CloudJobSignal>();
        services.AddSingleton<ICloudDriver, LocalCloudDriver>();
        services.AddSingleton<Ssh.SshProviderKeys>();
        services.AddSingleton<Ssh.CairnBinary>();
        services.AddSingleton<Ssh.SshRestorer>();
        services.AddSingleton<ICloudDriver, Ssh.SshCloudDriver>();
        services.AddHttpClient(CloudApi.CloudApiDriver.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60)).RemoveAllLoggers();
        services.AddSingleton<ICloudDriver, CloudApi.CloudApiDriver>();
        services.AddSingleton<CloudDrivers>();
        services.TryAddSingleton<ICloudJobObserver, NoCloudJobObserver>();
        services.AddScoped<RestoreOrders>();
        services.AddScoped<CloudJobClaims>();
        services.AddHostedService<CloudJobRunner>();
        services.AddHostedService<CloudJobHeartbeat>();

        services.AddScoped<Ledger>();
        services.AddScoped<PaymentTopUps>();
        services.AddScoped<MonthlyBilling>();
        services.AddHostedService<BillingMonitor>();
        return services;
    }
}
