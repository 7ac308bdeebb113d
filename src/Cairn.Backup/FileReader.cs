using System.Buffers;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Chunking;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Chunking;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Backup;

/// <summary>
/// Reads one file, cuts it into content-defined chunks, hashes and stores each chunk. One instance per worker:
/// it owns a pooled buffer of the maximum chunk size, refilled only when the chunker cannot decide on what it holds,
/// so a whole chunk is always in memory once.
/// </summary>
internal sealed class FileReader : IDisposable
{
    private const int BufferSize = Chunker.MaxSize;

    private readonly IBackupTarget _target;
    private readonly IBackupProgress _progress;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);

    public FileReader(IBackupTarget target, IBackupProgress progress)
    {
        _target = target;
        _progress = progress;
    }

    public long BlobsAdded { get; private set; }
    public long BytesAdded { get; private set; }

    /// <summary>Returns the chunk IDs in file order and the number of bytes read.</summary>
    public Task<(List<Id> Content, long Size)> ReadAsync(SafeFileHandle handle, CancellationToken cancellationToken) =>
        ReadAsync((buffer, offset) => RandomAccess.Read(handle, buffer, offset), handle, cancellationToken);

    /// <summary>Reads a stream to its end (backup --stdin); returns the chunk IDs in order and the number of bytes read.</summary>
    public Task<(List<Id> Content, long Size)> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        ReadAsync((buffer, _) => stream.Read(buffer), null, cancellationToken);

    /// <summary>Reads into the buffer from the offset; 0 at the end.</summary>
    private delegate int ReadAt(Span<byte> buffer, long offset);

    /// <param name="handle">The file being read, for read-ahead hints; null for a stream.</param>
    private async Task<(List<Id> Content, long Size)> ReadAsync(ReadAt read, SafeFileHandle? handle, CancellationToken cancellationToken)
    {
        var chunker = _target.Chunker;
        var content = new List<Id>();
        long fileOffset = 0;
        int start = 0, filled = 0;
        var eof = false;
        while (filled > start || !eof)
        {
            // Checked per chunk: a file whose chunks are all known already never awaits a save that would notice.
            cancellationToken.ThrowIfCancellationRequested();
            var length = filled > start ? chunker.FindBoundary(_buffer.AsSpan(start, filled - start), eof) : -1;
            if (length < 0)
            {
                // The chunker needs more bytes: keep the unconsumed tail, fill up behind it and look again. The
                // buffer holds one largest chunk, so a chunk is always found once it is full.
                if (start > 0)
                {
                    _buffer.AsSpan(start, filled - start).CopyTo(_buffer);
                    filled -= start;
                    start = 0;
                }

                while (filled < _buffer.Length)
                {
                    var n = read(_buffer.AsSpan(filled), fileOffset);
                    if (n == 0)
                    {
                        eof = true;
                        break;
                    }

                    filled += n;
                    fileOffset += n;
                    _progress.BytesRead(n);
                }

                if (!eof && handle is not null)
                {
                    // The disk fetches the next buffer's worth while this one is chunked, hashed and compressed.
                    PosixFileSystem.AdviseWillNeed(handle, fileOffset, _buffer.Length);
                }

                continue;
            }

            var chunk = _buffer.AsMemory(start, length);
            var id = Id.Hash(chunk.Span);
            if (!_target.HasBlob(BlobType.Data, id) && await _target.SaveBlobAsync(BlobType.Data, id, chunk, cancellationToken).ConfigureAwait(false))
            {
                BlobsAdded++;
                BytesAdded += length;
            }

            content.Add(id);
            start += length;
        }

        return (content, fileOffset);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
