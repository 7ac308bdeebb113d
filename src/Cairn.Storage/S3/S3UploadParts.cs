using System.Buffers;

namespace Cairn.Storage;

/// <summary>
/// Cuts the caller's stream into the parts of one upload, read to its end. A seekable stream is cut into
/// <see cref="StreamSlice"/>s (nothing copied); any other is read one part at a time into one pooled buffer, with a
/// byte of look-ahead so a stream that ends exactly at a part's end is known to be done. So an upload holds at most
/// one part in memory, and the caller learns after the first part whether one PUT will do.
/// </summary>
internal sealed class S3UploadParts : IDisposable
{
    private readonly Stream _source;
    private readonly int _partSize;
    private readonly long _start;
    private readonly long? _length;
    private byte[]? _buffer;
    private int _lookAhead = -1;

    public S3UploadParts(Stream source, int partSize)
    {
        _source = source;
        _partSize = partSize;
        if (source.CanSeek)
        {
            _start = source.Position;
            _length = Math.Max(0, source.Length - _start);
        }
    }

    /// <summary>Bytes handed out in parts so far; the object's size once <see cref="IsLast"/> is true.</summary>
    public long Total { get; private set; }

    /// <summary>Parts handed out so far.</summary>
    public int Count { get; private set; }

    /// <summary>True when the part last handed out ends the stream.</summary>
    public bool IsLast { get; private set; }

    /// <summary>The next part, valid until the next call. The first part of an empty stream is empty.</summary>
    public async ValueTask<Stream> NextAsync(CancellationToken cancellationToken)
    {
        if (IsLast)
        {
            throw new InvalidOperationException("the stream has no more parts");
        }

        Count++;
        if (_length is { } length)
        {
            var size = Math.Min(_partSize, length - Total);
            var slice = new StreamSlice(_source, _start + Total, size);
            Total += size;
            IsLast = Total == length;
            return slice;
        }

        _buffer ??= ArrayPool<byte>.Shared.Rent(_partSize);
        var filled = 0;
        if (_lookAhead >= 0)
        {
            _buffer[0] = (byte)_lookAhead;
            filled = 1;
            _lookAhead = -1;
        }

        filled += await _source.ReadAtLeastAsync(_buffer.AsMemory(filled, _partSize - filled), _partSize - filled, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        Total += filled;
        IsLast = filled < _partSize || !await TryReadLookAheadAsync(cancellationToken).ConfigureAwait(false);
        return new MemoryStream(_buffer, 0, filled, writable: false);
    }

    /// <summary>Reads what is left without keeping it, for comparing the length with an object that exists already.</summary>
    public async Task<long> CountRestAsync(CancellationToken cancellationToken)
    {
        if (_length is { } length)
        {
            return length;
        }

        var total = Total;
        if (!IsLast)
        {
            total += _lookAhead >= 0 ? 1 : 0;
            _lookAhead = -1;
            _buffer ??= ArrayPool<byte>.Shared.Rent(_partSize);
            int n;
            while ((n = await _source.ReadAsync(_buffer.AsMemory(0, _partSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += n;
            }

            IsLast = true;
        }

        return total;
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private async ValueTask<bool> TryReadLookAheadAsync(CancellationToken cancellationToken)
    {
        var one = new byte[1];
        if (await _source.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        _lookAhead = one[0];
        return true;
    }
}
