using System.Security.Cryptography;
using Cairn.Storage;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// Passes an upload's body through to the store while counting and hashing it: more than the kind's size limit, an
/// end before the declared Content-Length (or bytes past it), fewer bytes than the kind's minimum, or content whose
/// SHA-256 is not its name fails the read (the last ones at end-of-body, before the store commits), so the store's
/// atomic save keeps nothing. With a Content-Length and a name to hash to, it declares both to the store
/// (<see cref="IDeclaredContent"/>), which may then hand the name to the server as the payload's hash (S3) and tell
/// the stream so, which then leaves the hash check to that server.
/// </summary>
internal sealed class UploadStream : Stream, IDeclaredContent
{
    private readonly Stream _body;
    private readonly long? _declaredLength;
    private readonly long _maxBytes;
    private readonly long _minBytes;
    private readonly string? _expectedSha256;
    private IncrementalHash? _hash;

    /// <param name="expectedSha256">The object's name, which its content must hash to; null for <c>config</c>.</param>
    public UploadStream(Stream body, long? declaredLength, long maxBytes, long minBytes, string? expectedSha256)
    {
        _body = body;
        _declaredLength = declaredLength;
        _maxBytes = maxBytes;
        _minBytes = minBytes;
        _expectedSha256 = expectedSha256;
        _hash = expectedSha256 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public long BytesRead { get; private set; }

    public bool TryGetDeclaredLength(out long length)
    {
        length = _declaredLength ?? 0;
        return _declaredLength is not null && _expectedSha256 is not null;
    }

    /// <summary>The store's server checks the name (S3): hashing here too would only spend CPU on the same answer.</summary>
    public void HashCheckedByStore()
    {
        if (BytesRead == 0)
        {
            _hash?.Dispose();
            _hash = null;
        }
    }

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
        var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Check(buffer.Span[..read], endOfBody: read == 0 && buffer.Length > 0);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _body.Read(buffer, offset, count);
        return Check(buffer.AsSpan(offset, read), endOfBody: read == 0 && count > 0);
    }

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
            _hash?.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Check(ReadOnlySpan<byte> read, bool endOfBody)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        BytesRead += read.Length;
        if (BytesRead > _maxBytes)
        {
            throw Fail(new UploadTooLargeException(_maxBytes));
        }

        if (_declaredLength is { } declared && (BytesRead > declared || (endOfBody && BytesRead != declared)))
        {
            throw Fail(new UploadTruncatedException(declared, BytesRead));
        }

        _hash?.AppendData(read);
        if (endOfBody)
        {
            if (BytesRead < _minBytes)
            {
                throw Fail(new UploadRefusedException($"an object of this kind has at least {_minBytes} bytes; this one has {BytesRead}"));
            }

            if (_hash is not null && _expectedSha256 is not null)
            {
                Span<byte> digest = stackalloc byte[32];
                _hash.GetCurrentHash(digest);
                var actual = Convert.ToHexStringLower(digest);
                if (!string.Equals(actual, _expectedSha256, StringComparison.Ordinal))
                {
                    throw Fail(new UploadRefusedException($"content does not match its name: its SHA-256 is {actual}", isMismatch: true));
                }
            }
        }

        return read.Length;
    }

    private IOException Fail(IOException failure)
    {
        Failure = failure;
        return failure;
    }
}

/// <summary>An upload is larger than Space accepts for one object of its kind.</summary>
internal sealed class UploadTooLargeException(long maxBytes)
    : IOException($"object larger than the limit of {maxBytes} bytes");

/// <summary>An upload's body does not match its Content-Length (the client broke off).</summary>
internal sealed class UploadTruncatedException(long declared, long received)
    : IOException($"body of {received} bytes does not match Content-Length {declared}");

/// <summary>A complete body that cannot be what its name says (a 400: the client sent the wrong bytes).</summary>
internal sealed class UploadRefusedException(string message, bool isMismatch = false) : IOException(message)
{
    /// <summary>The bytes do not hash to the name (rather than breaking a rule of their kind).</summary>
    public bool IsMismatch { get; } = isMismatch;
}
