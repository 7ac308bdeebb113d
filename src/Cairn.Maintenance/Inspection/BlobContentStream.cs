using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// A file's content read blob by blob, one blob in memory at a time. Its length is known up front (the plaintext
/// lengths from the index), so a tar header can be written before the data; it seeks by blob boundaries, which is
/// what lets TarWriter stream it into an unseekable output such as a pipe.
/// </summary>
internal sealed class BlobContentStream : Stream
{
    private readonly ResticRepository _repository;
    private readonly IReadOnlyList<Id> _blobs;
    private readonly long[] _starts;
    private int _next;
    private byte[] _current = [];
    private int _offset;
    private long _position;
    private long _skip;

    public BlobContentStream(ResticRepository repository, IReadOnlyList<Id> blobs)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(blobs);
        _repository = repository;
        _blobs = blobs;
        _starts = new long[blobs.Count];
        long length = 0;
        for (var i = 0; i < blobs.Count; i++)
        {
            _starts[i] = length;
            length += repository.Index.TryGet(BlobType.Data, blobs[i], out var location)
                ? location.PlaintextLength
                : throw new CorruptedDataException($"data blob {blobs[i]}", "not found in any index");
        }

        Length = length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position + _skip;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_offset == _current.Length && !MoveNext(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            return 0;
        }

        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset == _current.Length && !await MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Take(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        _position += n;
        return n;
    }

    private async ValueTask<bool> MoveNext(CancellationToken cancellationToken)
    {
        while (_next < _blobs.Count)
        {
            _current = await _repository.LoadBlobAsync(BlobType.Data, _blobs[_next++], cancellationToken).ConfigureAwait(false);
            _offset = (int)Math.Min(_skip, _current.Length);
            _position += _offset;
            _skip -= _offset;
            if (_offset < _current.Length)
            {
                return true;
            }
        }

        return false;
    }

    public override void Flush()
    {
    }

    /// <summary>Moves to a position; the blob holding it is loaded again on the next read.</summary>
    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        if (target == Position)
        {
            return target;
        }

        var blob = Array.BinarySearch(_starts, target);
        blob = blob >= 0 ? blob : ~blob - 1;
        _next = Math.Max(blob, 0);
        _current = [];
        _offset = 0;
        _position = _starts.Length == 0 ? 0 : _starts[_next];
        _skip = target - _position;
        return target;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
