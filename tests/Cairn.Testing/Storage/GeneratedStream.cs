namespace Cairn.Storage.Testing;

/// <summary>
/// A non-seekable stream of deterministic pseudo-random bytes, produced as it is read (never held whole in
/// memory), that can fail or run a callback once a given number of bytes has been read.
/// </summary>
public sealed class GeneratedStream(long length, int seed = 1) : Stream
{
    private readonly Random _random = new(seed);
    private long _position;
    private bool _progressRan;

    /// <summary>Throws <see cref="IOException"/> once this many bytes have been read.</summary>
    public long? FailAfter { get; init; }

    /// <summary>Runs once, when this many bytes have been read (e.g. to cancel a token part way).</summary>
    public (long AtByte, Action Action)? OnProgress { get; init; }

    public bool IsDisposed { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The bytes a stream made with the same arguments produces, for comparing with what a store kept.</summary>
    public static byte[] Expected(long length, int seed = 1)
    {
        var bytes = new byte[length];
        using var stream = new GeneratedStream(length, seed);
        stream.ReadExactly(bytes);
        return bytes;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (FailAfter is { } failAt && _position >= failAt)
        {
            throw new IOException($"the source stream broke after {_position} bytes (injected)");
        }

        if (OnProgress is { } progress && !_progressRan && _position >= progress.AtByte)
        {
            _progressRan = true;
            progress.Action();
        }

        var limit = length - _position;
        if (FailAfter is { } f)
        {
            limit = Math.Min(limit, f - _position);
        }

        if (OnProgress is { } p && !_progressRan && p.AtByte > _position)
        {
            limit = Math.Min(limit, p.AtByte - _position);
        }

        var n = (int)Math.Min(buffer.Length, limit);
        _random.NextBytes(buffer[..n]);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
