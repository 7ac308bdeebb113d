using Cairn.Platform;
using Cairn.Repository;

namespace Cairn.Backup;

/// <summary>What to back up and how to label the snapshot.</summary>
public sealed record BackupOptions
{
    /// <summary>Paths as the user gave them; relative ones are kept relative in the tree, as restic does.</summary>
    public required IReadOnlyList<RawPath> Paths { get; init; }
    /// <summary>The --exclude patterns, recorded in the snapshot.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>What the walk leaves out; null for the <see cref="Excludes"/> patterns alone.</summary>
    public SourceFilter? Filter { get; init; }
    /// <summary>Do everything but store: no pack, index or snapshot is written (the target must not store either).</summary>
    public bool DryRun { get; init; }
    /// <summary>Save no snapshot when the new tree is the parent snapshot's (restic 0.17's --skip-if-unchanged).</summary>
    public bool SkipIfUnchanged { get; init; }
    /// <summary>The snapshot's time; null for the moment the backup starts.</summary>
    public DateTimeOffset? SnapshotTime { get; init; }
    /// <summary>Tags the snapshot carries.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Host name recorded in the snapshot (restic groups and finds parents by it).</summary>
    public string Hostname { get; init; } = Environment.MachineName;
    /// <summary>User name recorded in the snapshot.</summary>
    public string Username { get; init; } = Environment.UserName;
    /// <summary>The snapshot whose unchanged files are not read again; null for none.</summary>
    public Id? Parent { get; init; }
    /// <summary>How many files are read at once, unless told otherwise: one per core, at least two.</summary>
    public static int DefaultFileConcurrency => Math.Max(2, Environment.ProcessorCount);

    /// <summary>How many files are read at once.</summary>
    public int FileConcurrency { get; init; } = DefaultFileConcurrency;
    /// <summary>
    /// A scan running beside the backup whose folder listings (with each entry's lstat) the walk takes instead of
    /// reading them again; null to read every folder in the walk.
    /// </summary>
    public SourceScanner? Listings { get; init; }
    /// <summary>Clock for the snapshot time and the duration (injected so tests control it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Program version recorded in the snapshot's <c>program_version</c>.</summary>
    public string ProgramVersion { get; init; } = "cairn";
}

/// <summary>What a finished backup reports (restic's summary fields).</summary>
public sealed record BackupSummary
{
    /// <summary>The snapshot saved; null after a dry run or when skipped as unchanged.</summary>
    public Id? SnapshotId { get; init; }
    /// <summary>True when no snapshot was saved because the tree is the parent snapshot's.</summary>
    public bool SkippedUnchanged { get; init; }
    /// <summary>Files not in the parent snapshot.</summary>
    public long FilesNew { get; init; }
    /// <summary>Files in the parent snapshot whose metadata changed, so they were read again.</summary>
    public long FilesChanged { get; init; }
    /// <summary>Files reused from the parent snapshot without reading.</summary>
    public long FilesUnmodified { get; init; }
    /// <summary>Directories not in the parent snapshot.</summary>
    public long DirsNew { get; init; }
    /// <summary>Directories whose tree differs from the parent's.</summary>
    public long DirsChanged { get; init; }
    /// <summary>Directories whose tree equals the parent's.</summary>
    public long DirsUnmodified { get; init; }
    /// <summary>Data blobs added to the repository.</summary>
    public long DataBlobs { get; init; }
    /// <summary>Tree blobs added to the repository.</summary>
    public long TreeBlobs { get; init; }
    /// <summary>Plaintext bytes of the blobs added.</summary>
    public long DataAdded { get; init; }
    /// <summary>Files the backup went through.</summary>
    public long TotalFilesProcessed { get; init; }
    /// <summary>Bytes of the files the backup went through.</summary>
    public long TotalBytesProcessed { get; init; }
    /// <summary>Wall-clock time of the backup.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Source files that could not be read (each reported as a warning); exit code 3 in the CLI.</summary>
    public long Errors { get; init; }
}
