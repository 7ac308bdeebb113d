using Cairn.Repository.Format;
using Cairn.Repository.Json;
using Cairn.Storage;

namespace Cairn.Maintenance.Migrate;

/// <summary>
/// restic's <c>upgrade_repo_v2</c>: a version-1 repository becomes version 2 by rewriting only its config (same ID
/// and chunker polynomial, version 2). Index files and packs stay as they are: version 2 reads version-1 data,
/// and new data may then be compressed. Stores write each name once, so the config is deleted and written again;
/// its stored bytes are first kept in a local backup file, put back if writing the new one fails, and the backup
/// is removed only once the new config is in place (docs/format.md, "Config").
/// </summary>
internal sealed class UpgradeRepositoryV2 : IRepositoryMigration
{
    public const string MigrationName = "upgrade_repo_v2";

    public string Name => MigrationName;

    public string Description => "upgrade a repository to version 2";

    public bool RunsCheckFirst => true;

    public string? WhyNotApplicable(ResticRepository repository) =>
        repository.Version >= 2 ? $"repository is already upgraded to version {repository.Version}" : null;

    public async Task ApplyAsync(ResticRepository repository, string backupFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var store = repository.Store;
        var original = await store.ReadAllAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(backupFolder);
        var backup = Path.Combine(backupFolder, "config");
        await File.WriteAllBytesAsync(backup, original, cancellationToken).ConfigureAwait(false);

        var upgraded = repository.Config with { Version = 2 };
        var cipher = repository.Key.Encrypt(RepositoryJson.Serialize(upgraded));
        try
        {
            await store.DeleteAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(ObjectName.Config, cipher, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception upgradeError) when (upgradeError is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RestoreOriginalAsync(store, original, backup, upgradeError).ConfigureAwait(false);
            throw new MigrationFailedException($"{MigrationName} failed, the original config was put back: {upgradeError.Message}", upgradeError);
        }

        File.Delete(backup);
        TryDeleteEmpty(backupFolder);
    }

    /// <summary>Puts the original config back (whether or not the failed write left something); never cancelled.</summary>
    private static async Task RestoreOriginalAsync(IObjectStore store, byte[] original, string backup, Exception upgradeError)
    {
        try
        {
            try
            {
                await store.DeleteAsync(ObjectName.Config, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException)
            {
                // The delete or the write failed before a config was there: nothing to remove.
            }

            await store.SaveAsync(ObjectName.Config, original, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception restoreError)
        {
            throw new MigrationFailedException(
                $"{MigrationName} failed ({upgradeError.Message}) and putting the original config back failed too ({restoreError.Message}); "
                + $"it is kept in {backup}: copy it to the repository as \"config\" by hand",
                new AggregateException(upgradeError, restoreError));
        }
    }

    private static void TryDeleteEmpty(string folder)
    {
        try
        {
            Directory.Delete(folder);
        }
        catch (IOException)
        {
            // Not empty or already gone: it is the caller's folder then.
        }
    }
}
