using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>
/// Pack files kept open between ranged reads, so reading the thousands of trees of a snapshot does not open, lock,
/// stat and close the same few packs for every blob (docs/performance.md, "Tiny files"). A handle is lent to one
/// reader at a time and comes back after its read. A delete through this store retires every handle lent before it,
/// so a read that starts after the delete opens the file again and finds it gone. Packs are immutable and named by
/// their content, so a handle always reads the bytes its name promises.
/// </summary>
internal sealed class OpenPackFiles(int capacity) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _idle = [];
    private long _generation;
    private bool _disposed;

    /// <summary>The count of deletes so far: a handle returned under another count than it was lent under is closed.</summary>
    public long Generation
    {
        get
        {
            lock (_gate)
            {
                return _generation;
            }
        }
    }

    /// <summary>An idle handle of <paramref name="path"/> (now this caller's), with the file's length; false when none is open.</summary>
    public bool TryRent(string path, out SafeFileHandle handle, out long length)
    {
        lock (_gate)
        {
            for (var i = _idle.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_idle[i].Path, path, StringComparison.Ordinal))
                {
                    (_, handle, length) = _idle[i];
                    _idle.RemoveAt(i);
                    return true;
                }
            }
        }

        handle = null!;
        length = 0;
        return false;
    }

    /// <summary>Takes a handle back after a good read; closes it instead when a delete came since <paramref name="generation"/>, or the oldest idle one when full.</summary>
    public void Return(string path, SafeFileHandle handle, long length, long generation)
    {
        SafeFileHandle? close = handle;
        lock (_gate)
        {
            if (!_disposed && generation == _generation)
            {
                _idle.Add(new Entry(path, handle, length));
                close = null;
                if (_idle.Count > capacity)
                {
                    close = _idle[0].Handle;
                    _idle.RemoveAt(0);
                }
            }
        }

        close?.Dispose();
    }

    /// <summary>After <paramref name="path"/> was deleted: its idle handles close, and every handle lent until now closes when it comes back.</summary>
    public void Forget(string path)
    {
        List<SafeFileHandle> close;
        lock (_gate)
        {
            _generation++;
            close = [.. _idle.Where(e => string.Equals(e.Path, path, StringComparison.Ordinal)).Select(e => e.Handle)];
            _idle.RemoveAll(e => string.Equals(e.Path, path, StringComparison.Ordinal));
        }

        close.ForEach(h => h.Dispose());
    }

    public void Dispose()
    {
        List<Entry> close;
        lock (_gate)
        {
            _disposed = true;
            close = [.. _idle];
            _idle.Clear();
        }

        close.ForEach(e => e.Handle.Dispose());
    }

    private readonly record struct Entry(string Path, SafeFileHandle Handle, long Length);
}
