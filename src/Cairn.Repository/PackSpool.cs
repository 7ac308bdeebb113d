using Cairn.Storage;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Repository;

/// <summary>
/// A pack being assembled, kept in a file rather than in memory (as restic does), so memory stays flat however many
/// packs are filling or waiting to upload. A store that can adopt files (<see cref="IStagingObjectStore"/>, a local
/// repository) gives the file, and the finished pack is moved into place; for any other store it is an unnamed
/// temporary file, uploaded through a seekable stream (a retried upload can rewind) and gone when disposed.
/// </summary>
internal sealed class PackSpool : IDisposable
{
    private readonly FileStream _file;
    private readonly SafeFileHandle _handle;
    private readonly IStagingObjectStore? _staging;
    private bool _committed;

    public PackSpool(IObjectStore store)
    {
        _staging = store as IStagingObjectStore;
        if (_staging is not null)
        {
            _file = _staging.CreateStagingFile(ObjectKind.Pack);
        }
        else
        {
            var path = Path.Combine(Path.GetTempPath(), $"cairn-pack-{Guid.NewGuid():N}.tmp");
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
        }

        _handle = _file.SafeFileHandle;
    }

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        RandomAccess.Write(_handle, data, Length);
        Length += data.Length;
    }

    /// <summary>Stores the finished pack as <paramref name="name"/>: moved into place by a staging store, else uploaded.</summary>
    public async Task SaveAsync(IObjectStore store, ObjectName name, CancellationToken cancellationToken)
    {
        if (_staging is not null && ReferenceEquals(store, _staging))
        {
            _committed = true;
            await _staging.CommitStagedAsync(name, _file, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Each attempt reads the spool again from its first byte, so a retry never needs the caller.
        await store.SaveAsync(name, ObjectContent.Reopenable(() => new Reader(this), Length), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_staging is not null && !_committed)
        {
            _staging.DiscardStaged(_file);
            return;
        }

        _file.Dispose();
    }

    private sealed class Reader(PackSpool spool) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => spool.Length;

        public override long Position
        {
            get => _position;
            set => _position = Math.Clamp(value, 0, spool.Length);
        }

        public override int Read(byte[] array, int offset, int count) => Read(array.AsSpan(offset, count));

        public override int Read(Span<byte> destination)
        {
            var want = (int)Math.Min(destination.Length, spool.Length - _position);
            if (want <= 0)
            {
                return 0;
            }

            var n = RandomAccess.Read(spool._handle, destination[..want], _position);
            _position += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            var want = (int)Math.Min(destination.Length, spool.Length - _position);
            if (want <= 0)
            {
                return 0;
            }

            var n = await RandomAccess.ReadAsync(spool._handle, destination[..want], _position, cancellationToken).ConfigureAwait(false);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] array, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(array.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => spool.Length + offset,
            };
            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] array, int offset, int count) => throw new NotSupportedException();
    }
}
