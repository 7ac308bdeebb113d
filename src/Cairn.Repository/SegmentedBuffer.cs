using System.Buffers;

namespace Cairn.Repository;

/// <summary>
/// Bytes appended into pooled 1 MiB segments: a pack grows without one large array or copies on growth, and is
/// uploaded through <see cref="OpenRead"/>, a seekable stream (so a retried upload can rewind).
/// </summary>
internal sealed class SegmentedBuffer : IDisposable
{
    private const int SegmentSize = 1 << 20;

    private readonly List<byte[]> _segments = [];

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var used = (int)(Length % SegmentSize);
            if (used == 0 && Length / SegmentSize == _segments.Count)
            {
                _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
            }

            var n = Math.Min(SegmentSize - used, data.Length);
            data[..n].CopyTo(_segments[^1].AsSpan(used));
            data = data[n..];
            Length += n;
        }
    }

    public Stream OpenRead() => new Reader(this);

    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        Length = 0;
    }

    private sealed class Reader(SegmentedBuffer buffer) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => buffer.Length;

        public override long Position
        {
            get => _position;
            set => _position = Math.Clamp(value, 0, buffer.Length);
        }

        public override int Read(byte[] array, int offset, int count) => Read(array.AsSpan(offset, count));

        public override int Read(Span<byte> destination)
        {
            var total = 0;
            while (!destination.IsEmpty && _position < buffer.Length)
            {
                var segment = buffer._segments[(int)(_position / SegmentSize)];
                var at = (int)(_position % SegmentSize);
                var n = (int)Math.Min(Math.Min(SegmentSize - at, destination.Length), buffer.Length - _position);
                segment.AsSpan(at, n).CopyTo(destination);
                destination = destination[n..];
                _position += n;
                total += n;
            }

            return total;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(destination.Span));

        public override Task<int> ReadAsync(byte[] array, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(array.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => buffer.Length + offset,
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
