using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Backups.Stores;
using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Cairn.Space.Usage;
using Cairn.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space;

/// <summary>
/// Runs before anything else starts (and before Kestrel listens): makes the data folder (0700); under the start-up
/// lock, so replicas starting at once do each of these once, migrates the schema, makes the operator account from
/// configuration and the console's first key; then sweeps leftover temporary files of interrupted uploads.
/// </summary>
public sealed class SpaceStartup(
    IServiceScopeFactory scopes,
    SpaceSettings settings,
    IRepositoryStorage storage,
    IKeyManager consoleKeys,
    ILogger<SpaceStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        DataFolder.Prepare(settings); // 0700, and a new SQLite file 0600
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
        await SpaceDatabase.EnsureExistsAsync(db, cancellationToken).ConfigureAwait(false);
        await using (await StartupLock.AcquireAsync(db, cancellationToken).ConfigureAwait(false))
        {
            await SpaceDatabase.MigrateAsync(db, cancellationToken).ConfigureAwait(false);
            await scope.ServiceProvider.GetRequiredService<AccountService>().EnsureOperatorAsync(cancellationToken).ConfigureAwait(false);
            await ConsoleKeys.PrepareAsync(db, consoleKeys, settings, logger, cancellationToken).ConfigureAwait(false);
        }

        await PrepareStorageAsync(cancellationToken).ConfigureAwait(false);

        // Uploads cut off by a crash leave temporary files; those older than an hour are no one's live upload.
        await scope.ServiceProvider.GetRequiredService<UsageJobs>().SweepLeftoversAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Space data in {DataPath}, database {Provider}, repositories in {Store}", settings.DataPath,
            settings.PostgresConnectionString is null ? "SQLite" : "PostgreSQL",
            storage is S3RepositoryStorage s3 ? s3.Location : settings.RepositoriesPath);
    }

    /// <summary>
    /// Makes the bucket when it is missing. A refusal (wrong credentials, a bucket owned by someone else) is a bad
    /// setting and stops the start; a store that does not answer yet only keeps /healthz/ready at 503.
    /// </summary>
    private async Task PrepareStorageAsync(CancellationToken cancellationToken)
    {
        if (storage is not S3RepositoryStorage s3)
        {
            return;
        }

        try
        {
            await s3.EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.IsTransient)
        {
            logger.LogWarning("The S3 store {Store} does not answer yet ({Reason}); Space starts and reports not ready until it does", s3.Location, e.Message);
        }
        catch (StorageException e)
        {
            throw new InvalidOperationException($"Space:Storage: the S3 store {s3.Location} refused Space: {e.Message}", e);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
