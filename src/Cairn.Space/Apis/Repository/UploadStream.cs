namespace Cairn.Space.Apis.Repository;

/// <summary>
/// Passes an upload's body through to the store while counting it: more than the object size limit, or an end
/// before the declared Content-Length (or bytes past it), fails the read, so the store's atomic save keeps nothing.
/// </summary>
internal sealed class UploadStream(Stream body, long? declaredLength, long maxBytes) : Stream
{
    public long BytesRead { get; private set; }

    /// <summary>Why the body was refused, if it was; stores may wrap the exception, so it is kept here too.</summary>
    public IOException? Failure { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Check(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Check(body.Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Check(int read)
    {
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            Failure = new UploadTooLargeException(maxBytes);
            throw Failure;
        }

        if (declaredLength is { } declared && (BytesRead > declared || (read == 0 && BytesRead != declared)))
        {
            Failure = new UploadTruncatedException(declared, BytesRead);
            throw Failure;
        }

        return read;
    }
}

/// <summary>An upload is larger than Space accepts for one object.</summary>
internal sealed class UploadTooLargeException(long maxBytes)
    : IOException($"object larger than the limit of {maxBytes} bytes");

/// <summary>An upload's body does not match its Content-Length (the client broke off).</summary>
internal sealed class UploadTruncatedException(long declared, long received)
    : IOException($"body of {received} bytes does not match Content-Length {declared}");
