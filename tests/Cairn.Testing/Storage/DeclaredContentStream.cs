namespace Cairn.Storage.Testing;

/// <summary>
/// A stream that cannot seek but declares its length and that it hashes to its object's name, as Space's upload
/// bodies do (<see cref="IDeclaredContent"/>); reads pass through to <paramref name="inner"/>.
/// </summary>
public sealed class DeclaredContentStream(Stream inner, long declaredLength) : Stream, IDeclaredContent
{
    public DeclaredContentStream(byte[] content)
        : this(new NonSeekableStream(content), content.Length)
    {
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public bool TryGetDeclaredLength(out long length)
    {
        length = declaredLength;
        return true;
    }

    /// <summary>Whether a store said its server checks the hash (before reading).</summary>
    public bool HashChecked { get; private set; }

    public void HashCheckedByStore() => HashChecked = true;

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
