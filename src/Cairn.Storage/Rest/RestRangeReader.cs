using System.Net;

namespace Cairn.Storage;

/// <summary>Reads the body of a ranged GET into the caller's buffer, checking the server sent exactly the range asked for.</summary>
internal static class RestRangeReader
{
    public static async Task ReadAsync(HttpResponseMessage response, ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            long skip = 0;
            long? available = response.Content.Headers.ContentLength;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From is { } from && from != offset)
                {
                    throw new StorageException($"read {name}: asked for bytes from {offset}, the server sent from {from}", isTransient: true);
                }
            }
            else
            {
                // The server ignored the Range header and sends the whole object: skip to the offset.
                skip = offset;
                available -= offset;
            }

            if (available is { } n && n < buffer.Length)
            {
                throw new StorageException($"{name} is shorter than the {buffer.Length} bytes asked for at offset {offset}");
            }

            await SkipAsync(body, skip, name, cancellationToken).ConfigureAwait(false);
            try
            {
                await body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw new StorageException($"read {name}: the answer ended before {buffer.Length} bytes at offset {offset}", isTransient: true, e);
            }
        }
    }

    private static async Task SkipAsync(Stream body, long count, ObjectName name, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        var scratch = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var n = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(count, scratch.Length)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new StorageException($"{name} is shorter than the offset asked for");
            }

            count -= n;
        }
    }
}
