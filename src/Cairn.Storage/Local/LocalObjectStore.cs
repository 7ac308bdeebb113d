using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>
/// A repository in a local folder, laid out exactly as restic lays it out (see <see cref="LocalLayout"/>).
/// Saves go to a temporary file in the target folder, are flushed to disk, renamed into place without
/// overwriting and the folder is flushed; saved files are made read-only (0400), as restic does. A staged file
/// (<see cref="IStagingObjectStore"/>) is a temporary file of the same kind, in the kind's first folder. Both are
/// named <c>.tmp-*</c>; those a crash left behind are removed by <see cref="SweepTemporaries"/>.
/// </summary>
public sealed class LocalObjectStore : IStagingObjectStore, ITemporarySweeping
{
    private const int CopyBufferSize = 1 << 20;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode SavedFileMode = UnixFileMode.UserRead;
    private const UnixFileMode TempFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Pack files a store that keeps them open holds open at most, idle between reads.</summary>
    public const int OpenPackLimit = 32;

    private readonly LocalLayout _layout;
    private readonly OpenPackFiles? _packs;

    /// <summary>A store in a folder, in restic's local layout.</summary>
    public LocalObjectStore(string rootPath)
        : this(rootPath, keepPacksOpen: false)
    {
    }

    /// <summary>
    /// A store in a folder, in restic's local layout; with <paramref name="keepPacksOpen"/>, ranged reads of packs keep
    /// up to <see cref="OpenPackLimit"/> pack files open between them until the store is disposed (for one program's
    /// run over a repository: the CLI and the agent), instead of opening the file for every blob.
    /// </summary>
    public LocalObjectStore(string rootPath, bool keepPacksOpen)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        _layout = new LocalLayout(Path.GetFullPath(rootPath));
        _packs = keepPacksOpen ? new OpenPackFiles(OpenPackLimit) : null;
    }

    /// <inheritdoc/>
    public string Location => _layout.Root;

    /// <summary>True when <paramref name="path"/> holds a repository (a <c>config</c> file and a <c>keys</c> folder).</summary>
    public static bool LooksLikeRepository(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var layout = new LocalLayout(Path.GetFullPath(path));
        return File.Exists(layout.ConfigPath) && Directory.Exists(layout.KindFolder(ObjectKind.Key));
    }

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (File.Exists(_layout.ConfigPath))
        {
            throw new StorageException($"a repository already exists at {Location} (it has a config file)");
        }

        try
        {
            foreach (var folder in _layout.AllFolders())
            {
                CreateFolder(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalErrors.Map(e, null, Location);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        var path = _layout.PathOf(name);
        if (content.Length is { } length && ExistingSize(path) is { } existing)
        {
            // Write once: same length means same content-addressed bytes, anything else is a conflict.
            ThrowUnlessSameSize(name, existing, length);
            return;
        }

        var folder = _layout.FolderOf(name);
        var temp = Path.Combine(folder, LocalLayout.NewTempName());
        try
        {
            var written = await WriteTempAsync(temp, content, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!Publish(temp, path))
            {
                ThrowUnlessSameSize(name, ExistingSize(path) ?? -1, written);
                UnixFileSystem.TryDelete(temp);
                return;
            }

            UnixFileSystem.SyncDirectory(folder);
        }
        catch (Exception e)
        {
            TryDeleteQuietly(temp);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw LocalErrors.Map(e, null, path);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public FileStream CreateStagingFile(ObjectKind kind)
    {
        // Any folder of the kind is on the repository's file system; the first one exists in every repository.
        var folder = _layout.FolderOf(new ObjectName(kind, new string('0', 64)));
        var temp = Path.Combine(folder, LocalLayout.NewTempName());
        try
        {
            return OpenTemp(temp, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalErrors.Map(e, null, temp);
        }
    }

    /// <inheritdoc/>
    public Task CommitStagedAsync(ObjectName name, FileStream staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var temp = staged.Name;
        var path = _layout.PathOf(name);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = RandomAccess.GetLength(staged.SafeFileHandle);
            RandomAccess.FlushToDisk(staged.SafeFileHandle);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(staged.SafeFileHandle, SavedFileMode);
            }

            staged.Dispose();
            var folder = _layout.FolderOf(name);
            if (!Directory.Exists(folder))
            {
                CreateFolder(folder);
            }

            if (!Publish(temp, path))
            {
                ThrowUnlessSameSize(name, ExistingSize(path) ?? -1, length);
                UnixFileSystem.TryDelete(temp);
                return Task.CompletedTask;
            }

            UnixFileSystem.SyncDirectory(folder);
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            staged.Dispose();
            TryDeleteQuietly(temp);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw LocalErrors.Map(e, null, path);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public void DiscardStaged(FileStream staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        staged.Dispose();
        TryDeleteQuietly(staged.Name);
    }

    /// <inheritdoc/>
    public Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var size = ExistingSize(_layout.PathOf(name)) ?? throw new ObjectNotFoundException(name);
        return Task.FromResult(new ObjectInfo(name, size));
    }

    /// <remarks>
    /// Reads synchronously: on Linux an asynchronous read of a regular file only moves the same blocking call to
    /// another pool thread, which costs more than the read itself for the small, frequent reads of trees.
    /// </remarks>
    public Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        var path = _layout.PathOf(name);
        var packs = name.Kind == ObjectKind.Pack ? _packs : null;
        var generation = packs?.Generation ?? 0;
        SafeFileHandle? handle = null;
        try
        {
            long length;
            if (packs is null || !packs.TryRent(path, out handle, out length))
            {
                handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                length = RandomAccess.GetLength(handle);
            }

            ReadExactly(name, handle, length, offset, buffer.Span);
            if (packs is not null)
            {
                packs.Return(path, handle, length, generation);
                handle = null;
            }

            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromException(LocalErrors.Map(e, name, path));
        }
        catch (StorageException e)
        {
            return Task.FromException(e);
        }
        finally
        {
            handle?.Dispose();
        }
    }

    private static void ReadExactly(ObjectName name, SafeFileHandle handle, long length, long offset, Span<byte> buffer)
    {
        if (offset + buffer.Length > length)
        {
            throw new StorageException($"{name} has {length} bytes; cannot read {buffer.Length} bytes at offset {offset}");
        }

        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n == 0)
            {
                throw new StorageException($"{name} ended after {offset + done} bytes while reading {buffer.Length} bytes at offset {offset}");
            }

            done += n;
        }
    }


    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = _layout.PathOf(name);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 16);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalErrors.Map(e, name, path);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield(); // walking folders blocks; do not do it on the caller's synchronous path
        if (kind == ObjectKind.Config)
        {
            if (ExistingSize(_layout.ConfigPath) is { } size)
            {
                yield return new ObjectInfo(ObjectName.Config, size);
            }

            yield break;
        }

        var folder = _layout.KindFolder(kind);
        var folders = kind == ObjectKind.Pack ? LocalListing.PackFolders(folder) : [(folder, (string?)null)];
        foreach (var (path, prefix) in folders)
        {
            foreach (var info in LocalListing.Objects(path, kind, prefix))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return info;
            }
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = _layout.PathOf(name);
        try
        {
            if (!UnixFileSystem.TryDelete(path))
            {
                throw new ObjectNotFoundException(name);
            }

            // After the unlink, so a read that opens the file from now on finds it gone.
            if (name.Kind == ObjectKind.Pack)
            {
                _packs?.Forget(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalErrors.Map(e, name, path);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public TemporarySweepResult SweepTemporaries(DateTimeOffset writtenBefore, CancellationToken cancellationToken = default)
        => LocalTemporarySweep.Sweep(_layout, writtenBefore, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _packs?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => Location;

    private async Task<long> WriteTempAsync(string temp, ObjectContent source, CancellationToken cancellationToken)
    {
        await using var content = source.Open();
        await using var file = OpenTemp(temp);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long written = 0;
            int n;
            while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await RandomAccess.WriteAsync(file.SafeFileHandle, buffer.AsMemory(0, n), written, cancellationToken).ConfigureAwait(false);
                written += n;
            }

            RandomAccess.FlushToDisk(file.SafeFileHandle);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.SafeFileHandle, SavedFileMode);
            }

            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private FileStream OpenTemp(string temp, FileAccess access = FileAccess.Write)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = access, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = TempFileMode;
        }

        try
        {
            return new FileStream(temp, options);
        }
        catch (DirectoryNotFoundException)
        {
            // A data/xx folder may be missing (a repository made by an older tool); the root must exist.
            if (!Directory.Exists(_layout.Root))
            {
                throw new StoreNotFoundException(Location);
            }

            CreateFolder(Path.GetDirectoryName(temp)!);
            return new FileStream(temp, options);
        }
    }

    /// <summary>Moves the temporary file into place without overwriting; false when the name is taken.</summary>
    private static bool Publish(string temp, string path)
    {
        try
        {
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static void ThrowUnlessSameSize(ObjectName name, long existing, long incoming)
    {
        if (existing != incoming)
        {
            throw new ObjectExistsException(name);
        }
    }

    private static long? ExistingSize(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : null;
    }

    private static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    private static void TryDeleteQuietly(string temp)
    {
        try
        {
            UnixFileSystem.TryDelete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary name is never listed; a leftover only costs space.
        }
    }
}
