using Cairn.Repository.Format;

namespace Cairn.Maintenance.Prune;

/// <summary>One pack's blobs split into the ones a snapshot needs (and that this pack is chosen to keep) and the rest.</summary>
internal sealed class PackUsage(Id id, long size)
{
    public Id Id { get; } = id;
    public long Size { get; } = size;
    public List<(Id Id, BlobLocation Location)> Used { get; } = [];
    public List<(Id Id, BlobLocation Location)> Unused { get; } = [];
    public long UsedBytes => Used.Sum(b => (long)b.Location.Length);
    public long UnusedBytes => Unused.Sum(b => (long)b.Location.Length);
    public bool HasUnused => Unused.Count > 0;
    public bool IsEmpty => Used.Count == 0;
}
