using System.Buffers;
using System.Net;

namespace Cairn.Storage;

/// <summary>
/// An HTTP body read from the caller's stream through a bounded buffer, announcing its length when known
/// (otherwise sent chunked). Unlike <see cref="StreamContent"/> it never disposes the caller's stream, which the
/// retry wrapper may rewind and send again.
/// </summary>
internal sealed class StreamBodyContent : HttpContent
{
    private const int BufferSize = 1 << 20;
    private readonly Stream _source;
    private readonly long? _length;
    private readonly long _start;
    private bool _sent;

    public StreamBodyContent(Stream source, long? length)
    {
        _source = source;
        _length = length;
        _start = source.CanSeek ? source.Position : 0;
        Headers.ContentType = new("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_sent)
        {
            // The handler may send a request again on a fresh connection; a body must then start from its beginning.
            if (!_source.CanSeek)
            {
                throw new IOException("the upload cannot be sent again: its stream cannot rewind");
            }

            _source.Position = _start;
        }

        _sent = true;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = await _source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length ?? 0;
        return _length.HasValue;
    }
}
