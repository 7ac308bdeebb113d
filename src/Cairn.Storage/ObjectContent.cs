namespace Cairn.Storage;

/// <summary>
/// The bytes of one <see cref="IObjectStore.SaveAsync"/>. Whether a failed attempt can be made again is part of the
/// type, so no layer has to guess it from a stream and no retry is ever skipped without the caller having chosen so:
/// <list type="bullet">
/// <item><b>Rewindable</b> (<see cref="FromMemory"/>, <see cref="FromSeekable"/>, <see cref="Reopenable"/>): every
/// <see cref="Open"/> starts again at the first byte; <see cref="RetryingObjectStore"/> retries transient failures.</item>
/// <item><b>One pass</b> (<see cref="OnePass"/>): a stream that cannot be read again, such as a client's upload body
/// that Space relays. It is opened once, no store retries it, and a transient failure reaches the caller, whose own
/// client does the retry (Space answers it with 503 and <c>Retry-After</c>).</item>
/// </list>
/// </summary>
/// <remarks>
/// A store disposes each stream <see cref="Open"/> gives it; that never closes a stream the caller handed in, which
/// stays the caller's.
/// </remarks>
public abstract class ObjectContent
{
    private protected ObjectContent()
    {
    }

    /// <summary>The number of bytes, when known before reading.</summary>
    public abstract long? Length { get; }

    /// <summary>True when <see cref="Open"/> may be called again after an attempt, starting at the first byte each time.</summary>
    public abstract bool CanRewind { get; }

    /// <summary>
    /// What the bytes declare about themselves before they are read (Space's upload bodies: their length and that they
    /// hash to their name), or null.
    /// </summary>
    public virtual IDeclaredContent? Declared => null;

    /// <summary>A stream at the first byte; <see cref="InvalidOperationException"/> on a second call to a one-pass content.</summary>
    public abstract Stream Open();

    /// <summary>Bytes in memory; the memory must not change until the save has returned.</summary>
    public static ObjectContent FromMemory(ReadOnlyMemory<byte> bytes) => new MemoryContent(bytes);

    /// <summary>A seekable stream's bytes from its current position to its end; each attempt seeks back there.</summary>
    public static ObjectContent FromSeekable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("the stream cannot seek: use ObjectContent.OnePass for a stream read only once", nameof(stream));
        }

        return new SeekableContent(stream);
    }

    /// <summary>Bytes that <paramref name="open"/> gives from their start each time it is called (a file, a spool).</summary>
    public static ObjectContent Reopenable(Func<Stream> open, long length)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ReopenableContent(open, length);
    }

    /// <summary>
    /// A stream read once, from where it stands to its end; nothing retries a failed save of it. When it implements
    /// <see cref="IDeclaredContent"/>, stores see that through <see cref="Declared"/>.
    /// </summary>
    public static ObjectContent OnePass(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new OnePassContent(stream);
    }

    /// <summary>
    /// The same content with each opened stream passed through <paramref name="wrap"/> (a throttle); the wrapper
    /// owns the stream it is given and disposes it with itself.
    /// </summary>
    public ObjectContent Wrap(Func<Stream, Stream> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        return new WrappedContent(this, wrap);
    }

    private sealed class MemoryContent(ReadOnlyMemory<byte> bytes) : ObjectContent
    {
        public override long? Length => bytes.Length;
        public override bool CanRewind => true;
        public override Stream Open() => new ReadOnlyMemoryStream(bytes);
    }

    private sealed class SeekableContent(Stream stream) : ObjectContent
    {
        private readonly long _start = stream.Position;

        public override long? Length => stream.Length - _start;
        public override bool CanRewind => true;

        public override Stream Open()
        {
            stream.Position = _start;
            return new BorrowedStream(stream);
        }
    }

    private sealed class ReopenableContent(Func<Stream> open, long length) : ObjectContent
    {
        public override long? Length => length;
        public override bool CanRewind => true;
        public override Stream Open() => open();
    }

    private sealed class OnePassContent(Stream stream) : ObjectContent
    {
        private int _opened;

        public override long? Length => stream.CanSeek ? stream.Length - stream.Position : null;
        public override bool CanRewind => false;
        public override IDeclaredContent? Declared => stream as IDeclaredContent;

        public override Stream Open() => Interlocked.Exchange(ref _opened, 1) == 0
            ? new BorrowedStream(stream)
            : throw new InvalidOperationException("a one-pass content was opened twice: it cannot be read again, so it must not be retried");
    }

    private sealed class WrappedContent(ObjectContent inner, Func<Stream, Stream> wrap) : ObjectContent
    {
        public override long? Length => inner.Length;
        public override bool CanRewind => inner.CanRewind;
        public override IDeclaredContent? Declared => inner.Declared;
        public override Stream Open() => wrap(inner.Open());
    }
}
