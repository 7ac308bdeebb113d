using Cairn.Platform;

namespace Cairn.Testing.Trees;

/// <summary>What a test tree sets on one entry besides its content: owner, permissions, mtime and extended attributes.</summary>
public sealed record EntryMetadata
{
    /// <summary>st_mode &amp; 07777; ignored for symlinks, whose permissions Linux fixes at 0777.</summary>
    public uint Permissions { get; init; } = 0x1A4; // 0644

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    /// <summary>mtime, set to the nanosecond (atime gets the same value).</summary>
    public Timestamp ModifyTime { get; init; } = new(1_600_000_000, 123_456_789);

    public IReadOnlyList<(string Name, byte[] Value)> Xattrs { get; init; } = [];
}
