using Cairn.Storage;
using Microsoft.Extensions.Configuration;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// Per-kind bounds on what a tenant may store (section <c>Space:Limits</c>). restic's locks, keys and config are
/// well under 1 KiB and its snapshots a few KiB, so generous small bounds keep "metadata" from becoming free storage;
/// packs and index files are bounded by <c>Space:MaxObjectBytes</c>.
/// </summary>
public sealed record RepositoryLimits
{
    public const long DefaultMaxLockBytes = 64 * 1024;
    public const long DefaultMaxKeyBytes = 64 * 1024;
    public const long DefaultMaxConfigBytes = 64 * 1024;
    public const long DefaultMaxSnapshotBytes = 4 * 1024 * 1024;
    public const int DefaultMaxLocksPerRepository = 100;

    /// <summary>
    /// The smallest snapshot file that can be real: 32 bytes of IV and MAC around a document that names a tree by a
    /// 32-byte hash, which no compression can make shorter.
    /// </summary>
    public const long MinSnapshotBytes = 64;

    public long MaxLockBytes { get; init; } = DefaultMaxLockBytes;
    public long MaxKeyBytes { get; init; } = DefaultMaxKeyBytes;
    public long MaxConfigBytes { get; init; } = DefaultMaxConfigBytes;
    public long MaxSnapshotBytes { get; init; } = DefaultMaxSnapshotBytes;
    public int MaxLocksPerRepository { get; init; } = DefaultMaxLocksPerRepository;

    /// <summary>The largest object of a kind: the small bounds, never above the general object limit.</summary>
    public long MaxBytesFor(ObjectKind kind, long maxObjectBytes) => Math.Min(maxObjectBytes, kind switch
    {
        ObjectKind.Lock => MaxLockBytes,
        ObjectKind.Key => MaxKeyBytes,
        ObjectKind.Config => MaxConfigBytes,
        ObjectKind.Snapshot => MaxSnapshotBytes,
        _ => maxObjectBytes,
    });

    public static long MinBytesFor(ObjectKind kind) => kind == ObjectKind.Snapshot ? MinSnapshotBytes : 0;

    public static RepositoryLimits From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Space:Limits");
        var limits = new RepositoryLimits
        {
            MaxLockBytes = section.GetValue("MaxLockBytes", DefaultMaxLockBytes),
            MaxKeyBytes = section.GetValue("MaxKeyBytes", DefaultMaxKeyBytes),
            MaxConfigBytes = section.GetValue("MaxConfigBytes", DefaultMaxConfigBytes),
            MaxSnapshotBytes = section.GetValue("MaxSnapshotBytes", DefaultMaxSnapshotBytes),
            MaxLocksPerRepository = section.GetValue("MaxLocksPerRepository", DefaultMaxLocksPerRepository),
        };
        if (limits.MaxLockBytes <= 0 || limits.MaxKeyBytes <= 0 || limits.MaxConfigBytes <= 0
            || limits.MaxSnapshotBytes < MinSnapshotBytes || limits.MaxLocksPerRepository <= 0)
        {
            throw new InvalidOperationException(
                $"Space:Limits: the byte limits must be above zero (MaxSnapshotBytes at least {MinSnapshotBytes}) and MaxLocksPerRepository at least 1");
        }

        return limits;
    }
}
