namespace Cairn.Restore;

/// <summary>
/// What a restore may do to the host beyond writing files, folders and links. Every restore chooses one
/// explicitly: who made the snapshot decides what it may bring onto this machine.
/// </summary>
/// <param name="CreateSpecialFiles">Create device nodes and FIFOs from the snapshot (sockets are never recreated).</param>
/// <param name="ApplyOwners">Give entries the snapshot's owners (takes effect only when the restore runs as root).</param>
/// <param name="PermissionMask">The permission bits kept of each entry's mode; the others are cleared.</param>
/// <param name="OnlyUserAttributes">Apply only <c>user.*</c> extended attributes: <c>security.*</c> (file capabilities,
/// SELinux labels) and <c>trusted.*</c> from the snapshot are left out.</param>
public sealed record HostSafety(bool CreateSpecialFiles, bool ApplyOwners, uint PermissionMask, bool OnlyUserAttributes)
{
    /// <summary>setuid, setgid and sticky.</summary>
    public const uint SpecialModeBits = 0xE00; // 07000

    /// <summary>
    /// The owner restoring their own snapshot on their own machine: restic's behaviour. Devices and FIFOs come back,
    /// setuid/setgid/sticky are kept, and root gets the owners back.
    /// </summary>
    public static HostSafety OwnSnapshot { get; } = new(CreateSpecialFiles: true, ApplyOwners: true, PermissionMask: 0xFFF, OnlyUserAttributes: false); // 07777

    /// <summary>
    /// Someone else's snapshot on this host (Space restoring a tenant's backup): no device nodes, FIFOs or sockets, no
    /// owners, only the owner's permission bits (0700), so nothing restored is setuid, setgid, sticky or open to
    /// other users of the host, and no file capabilities or other non-<c>user.*</c> attributes.
    /// </summary>
    public static HostSafety ForeignSnapshot { get; } = new(CreateSpecialFiles: false, ApplyOwners: false, PermissionMask: 0x1C0, OnlyUserAttributes: true); // 0700

    /// <summary>Whether an extended attribute of the snapshot is applied under this policy.</summary>
    public bool Applies(string attributeName) => !OnlyUserAttributes || attributeName.StartsWith("user.", StringComparison.Ordinal);

    /// <summary>The permissions an entry gets under this policy.</summary>
    public uint Permissions(uint snapshotPermissions) => snapshotPermissions & PermissionMask;
}
