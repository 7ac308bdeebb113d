using Cairn.Repository.Format;

namespace Cairn.Maintenance.Copy;

/// <summary>What a copy reports as it goes, in this order per snapshot; the CLI turns it into restic's lines.</summary>
public interface ICopyProgress
{
    /// <summary>A destination snapshot file that does not open; it cannot count as a copy.</summary>
    void UnreadableDestinationSnapshot(Id id, CorruptedDataException error);

    /// <summary>A source snapshot is looked at.</summary>
    void SnapshotStarting(Id id, Snapshot snapshot);

    /// <summary>The destination has a copy of it already: nothing is written.</summary>
    void AlreadyCopied(Id id, Id copy);

    /// <summary>Its trees are being walked; blobs the destination lacks follow.</summary>
    void CopyStarted(Id id);

    /// <summary>How many source packs hold blobs to copy (known once the trees are walked).</summary>
    void PacksPlanned(int packs);

    /// <summary>One pack was written to the destination.</summary>
    void PackCopied();

    /// <summary>The copy is stored: its blobs are indexed and its snapshot file written.</summary>
    void SnapshotSaved(Id id, Id copy, CopiedBlobs blobs);
}

/// <summary>What one snapshot's copy added to the destination.</summary>
public readonly record struct CopiedBlobs(int Trees, int Data, long PlaintextBytes, int Packs);
