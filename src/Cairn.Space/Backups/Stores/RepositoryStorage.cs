namespace Cairn.Space.Backups.Stores;

/// <summary>Makes the store <c>Space:Storage</c> names.</summary>
public static class RepositoryStorage
{
    public static IRepositoryStorage Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = services.GetRequiredService<SpaceSettings>();
        return settings.Storage.Kind == StorageKind.S3
            ? new S3RepositoryStorage(settings.Storage.S3!)
            : new LocalRepositoryStorage(settings);
    }
}
