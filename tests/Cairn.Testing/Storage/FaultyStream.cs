namespace Cairn.Storage.Testing;

/// <summary>Passes reads through up to a byte limit, then ends early or throws, to fake a broken upload.</summary>
internal sealed class FaultyStream(Stream inner, long limit, bool throwAtLimit) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var room = CheckRoom();
        var n = room == 0 ? 0 : inner.Read(buffer[..(int)Math.Min(buffer.Length, room)]);
        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var room = CheckRoom();
        var n = room == 0 ? 0 : await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, room)], cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private long CheckRoom()
    {
        var room = limit - _position;
        if (room <= 0 && throwAtLimit)
        {
            throw new IOException($"upload interrupted after {_position} bytes (injected)");
        }

        return Math.Max(0, room);
    }
}
