using Cairn.Restore.Worker;
using Cairn.Space.Backups.Stores;
using Cairn.Space.CloudRestore.Worker;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// What every driver that restores onto a server over ssh does once it knows the server (<see cref="SshTarget"/>):
/// make the instance's folder <c>{targetFolder}/{instanceId}</c> (0700) with <c>bin/</c> (the uploaded <c>cairn</c>
/// and <c>libzstd.so</c>, sent only where their SHA-256 differs) and <c>disk/</c> (the restored tree); run
/// <c>cairn restore-worker</c> there over the session as the target user, the password in the start frame on the
/// session's standard input and the repository's bytes coming back through the same session from this process
/// (<see cref="TaskStoreGate"/>), so the server needs no network access to Space; and wipe the folder. Used by
/// <see cref="SshCloudDriver"/> (a server the catalog names) and <see cref="CloudApi.CloudApiDriver"/> (a server a
/// provider's API made). <c>keyProvider</c> is the catalog provider whose key (<see cref="SshProviderKeys"/>) signs in.
/// </summary>
public sealed class SshRestorer(SshProviderKeys keys, CairnBinary binary, IRepositoryStorage storage, ILogger<SshRestorer> logger)
{
    /// <summary>Reads the worker may have in flight over the one session.</summary>
    private const int Concurrency = 4;

    /// <summary>Makes (or finds again) the instance's folder and uploads the binary; returns the disk as <c>ssh://user@host:port/folder/disk</c>.</summary>
    public async Task<string> PrepareAsync(string keyProvider, SshTarget target, Guid instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var folder = InstanceFolder(target, instanceId);
        var files = binary.Files();
        using var session = await OpenAsync(keyProvider, target, cancellationToken).ConfigureAwait(false);

        // Made again or found: the same folder for the same instance. The target folder itself is the operator's.
        var listed = await session.RunAsync(
            $"set -e; umask 077; mkdir -p -- {Quote(target.TargetFolder)}; mkdir -p -- {Quote(folder)}; chmod 0700 -- {Quote(folder)}; " +
            $"mkdir -p -- {Quote(folder + "/bin")} {Quote(folder + "/disk")}; cd -- {Quote(folder + "/bin")}; " +
            $"for f in {string.Join(' ', files.Select(f => Quote(f.Name)))}; do if [ -f \"$f\" ]; then sha256sum -- \"$f\"; fi; done",
            input: null, cancellationToken).ConfigureAwait(false);
        var present = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Where(words => words.Length == 2)
            .ToDictionary(words => words[1].TrimStart('*'), words => words[0], StringComparer.Ordinal);
        foreach (var (name, path, sha256) in files)
        {
            if (present.TryGetValue(name, out var remote) && remote == sha256)
            {
                continue;
            }

            var destination = $"{folder}/bin/{name}";
            var upload = File.OpenRead(path);
            await using (upload.ConfigureAwait(false))
            {
                await session.RunAsync($"set -e; umask 077; cat > {Quote(destination + ".part")}; chmod 0700 -- {Quote(destination + ".part")}; " +
                                       $"mv -f -- {Quote(destination + ".part")} {Quote(destination)}", upload, cancellationToken).ConfigureAwait(false);
            }

            logger.LogInformation("Uploaded {File} to {Destination}:{Folder}", name, session.Destination, folder);
        }

        return $"ssh://{session.Destination}{folder}/disk";
    }

    /// <summary>Starts the worker on an emptied disk and waits until it opened a key with the password.</summary>
    public async Task<ICloudRestore> OpenBackupAsync(string keyProvider, SshTarget target, Guid instanceId, BackupSource source, string password,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var folder = InstanceFolder(target, instanceId);
        var disk = Quote(folder + "/disk");
        var session = await OpenAsync(keyProvider, target, cancellationToken).ConfigureAwait(false);
        RestoreWorkerProcess? worker = null;
        try
        {
            // A restore cut short by a restart left part of the tree: start again on an empty disk. chmod -R first,
            // as restored folders may be read-only; neither follows a restored symlink.
            await session.RunAsync($"set -e; umask 077; chmod -R u+rwx -- {disk} 2>/dev/null || true; rm -rf -- {disk}; mkdir -m 0700 -- {disk}",
                input: null, cancellationToken).ConfigureAwait(false);
            var start = session.Command(
                $"cd -- {disk} && exec env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=\"$HOME\" {Quote(folder + "/bin/cairn")} {RestoreWorker.Verb}");
            var message = new StartMessage(source.SnapshotId, password, Concurrency);
            worker = await RestoreWorkerProcess.StartAsync(start, storage.Open(source.TaskInstanceId, source.TaskId), message, logger, cancellationToken)
                .ConfigureAwait(false);
            await worker.WaitOpenedAsync(cancellationToken).ConfigureAwait(false);
            return new SshCloudRestore(worker, session);
        }
        catch
        {
            if (worker is not null)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }

            session.Dispose();
            throw;
        }
    }

    /// <summary>Removes the instance's folder; done already when it is gone.</summary>
    public async Task WipeAsync(string keyProvider, SshTarget target, Guid instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var folder = Quote(InstanceFolder(target, instanceId));
        using var session = await OpenAsync(keyProvider, target, cancellationToken).ConfigureAwait(false);
        await session.RunAsync($"if [ -e {folder} ]; then chmod -R u+rwx -- {folder} 2>/dev/null || true; rm -rf -- {folder}; fi", input: null, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<SshSession> OpenAsync(string keyProvider, SshTarget target, CancellationToken cancellationToken)
        => new(target, await keys.PrivateKeyAsync(keyProvider, cancellationToken).ConfigureAwait(false));

    /// <summary>The instance's own folder: the ID, never its name, so no tenant's text reaches a remote command line.</summary>
    private static string InstanceFolder(SshTarget target, Guid instanceId) => $"{target.TargetFolder.TrimEnd('/')}/{instanceId:N}";

    /// <summary>A POSIX shell word (the paths are validated at catalog load; quoted all the same).</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private sealed class SshCloudRestore(RestoreWorkerProcess worker, SshSession session) : ICloudRestore
    {
        public async Task<RestoreReport> RestoreAndVerifyAsync(CancellationToken cancellationToken)
        {
            var verified = await worker.WaitVerifiedAsync(cancellationToken).ConfigureAwait(false);
            return new RestoreReport(verified.Files, verified.Directories, verified.Bytes);
        }

        public async ValueTask DisposeAsync()
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            session.Dispose(); // the key file goes once the ssh process has ended
        }
    }
}
