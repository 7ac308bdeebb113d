namespace Cairn.Space.Web.Formatting;

/// <summary>
/// A snapshot as a picker lists it: short ID, time to the second and size. The time is written in UTC, and
/// console.js rewrites the <c>data-at</c> part in the viewer's time zone. Tags live inside the encrypted snapshot,
/// so Space shows them only once a password has opened it (the wizard's charges step, the Browse page).
/// </summary>
public static class SnapshotLabels
{
    public static string Label(Backups.SnapshotRecord snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return $"{snapshot.SnapshotId[..8]} · {HumanTime.UtcSeconds(snapshot.WrittenAt)} · "
               + (snapshot.IsUnreadable ? "unreadable" : snapshot.TotalBytes is { } size ? HumanBytes.Format(size) : "size not reported");
    }
}
