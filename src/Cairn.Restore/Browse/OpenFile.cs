using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Restore.Browse;

/// <summary>
/// A file of a mounted snapshot: its content is its data blobs in order, so a read at an offset finds the blob
/// that covers it (binary search over the blobs' end offsets from the index) and reads only the blobs it spans,
/// each through the shared <see cref="BlobCache"/>.
/// </summary>
internal sealed class OpenFile
{
    private readonly Id[] _blobs;
    private readonly BlobLocation[] _locations;
    private readonly long[] _ends;
    private readonly IRestoreSource _source;
    private readonly BlobCache _cache;

    private OpenFile(Id[] blobs, BlobLocation[] locations, long[] ends, IRestoreSource source, BlobCache cache)
    {
        _blobs = blobs;
        _locations = locations;
        _ends = ends;
        _source = source;
        _cache = cache;
    }

    /// <summary>The content length the blobs add up to.</summary>
    public long Length => _ends.Length == 0 ? 0 : _ends[^1];

    /// <summary>Fails when a blob of the file is not in the index (a damaged repository: reads would fail anyway).</summary>
    public static bool TryCreate(Node node, IRestoreSource source, BlobCache cache, out OpenFile file)
    {
        ArgumentNullException.ThrowIfNull(node);
        var blobs = node.Content?.ToArray() ?? [];
        var locations = new BlobLocation[blobs.Length];
        var ends = new long[blobs.Length];
        long end = 0;
        for (var i = 0; i < blobs.Length; i++)
        {
            if (!source.TryLocateData(blobs[i], out locations[i]))
            {
                file = null!;
                return false;
            }

            end += locations[i].PlaintextLength;
            ends[i] = end;
        }

        file = new OpenFile(blobs, locations, ends, source, cache);
        return true;
    }

    /// <summary>Copies content from <paramref name="offset"/>; returns fewer bytes than asked only at the end.</summary>
    public int Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset >= Length || destination.IsEmpty)
        {
            return 0;
        }

        // The first blob whose end lies beyond the offset covers it.
        var index = Array.BinarySearch(_ends, offset);
        index = index >= 0 ? index + 1 : ~index;
        var written = 0;
        while (written < destination.Length && index < _blobs.Length)
        {
            var start = index == 0 ? 0 : _ends[index - 1];
            var plaintext = Blob(index);
            var within = (int)(offset + written - start);
            var count = Math.Min(plaintext.Length - within, destination.Length - written);
            plaintext.AsSpan(within, count).CopyTo(destination[written..]);
            written += count;
            index++;
        }

        return written;
    }

    private byte[] Blob(int index)
    {
        var id = _blobs[index];
        if (_cache.TryGet(id, out var cached))
        {
            return cached;
        }

        var location = _locations[index];
        var stored = new byte[location.Length];
        // Called on the mount's serving thread, which nothing else waits on.
        _source.ReadPackAsync(location.Pack, location.Offset, stored, CancellationToken.None).GetAwaiter().GetResult();
        var plaintext = new byte[location.PlaintextLength];
        var length = _source.DecodeBlob(id, location, stored, plaintext);
        if (length != plaintext.Length)
        {
            throw new CorruptedDataException($"blob {id}", $"decodes to {length} bytes, the index says {plaintext.Length}");
        }

        _cache.Add(id, plaintext);
        return plaintext;
    }
}
