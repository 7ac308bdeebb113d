using Cairn.Repository.Cache;
using Cairn.Repository.Format;

namespace Cairn.Repository;

/// <summary>How a repository is opened or created. Defaults are restic's.</summary>
public sealed record RepositoryOptions
{
    /// <summary>Compression for new blobs (format v2 only).</summary>
    public CompressionMode Compression { get; init; } = CompressionMode.Auto;

    /// <summary>Target pack size; restic 0.14's default is 16 MiB (docs/format.md, "Packs").</summary>
    public int PackSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>scrypt parameters for new key files (restic's defaults: N=2^15, r=8, p=1); tests lower them.</summary>
    public KdfParameters Kdf { get; init; } = KdfParameters.Default;

    /// <summary>How many packs may be uploading at once.</summary>
    public int UploadConcurrency { get; init; } = 2;

    /// <summary>Clock for snapshot, lock and key times (injected so tests control it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long to wait after writing a lock before looking again for a racing one (docs/format.md, "Locks").
    /// restic waits 200 ms for stores whose listings may lag behind writes. Every <c>IObjectStore</c> here
    /// guarantees read-after-write, and with that two racing lockers always see each other on the second look
    /// (each looks after its own write completed), so no wait is needed.
    /// </summary>
    public TimeSpan LockSettle { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The key file to try first when opening (its ID or a prefix, restic's <c>--key-hint</c>); the others are still
    /// tried after it, so a stale hint costs only time.
    /// </summary>
    public string? KeyHint { get; init; }

    /// <summary>
    /// A local cache of the repository's snapshot, index and tree-pack files (for remote repositories; the CLI leaves it
    /// off for local folders, as restic does). Null: every read goes to the store.
    /// </summary>
    public RepositoryCacheOptions? Cache { get; init; }

    /// <summary>Host name written into lock and key files.</summary>
    public string Hostname { get; init; } = Environment.MachineName;

    /// <summary>User name written into lock and key files.</summary>
    public string Username { get; init; } = Environment.UserName;
}

/// <summary>Scrypt cost parameters for new key files.</summary>
public sealed record KdfParameters(int N, int R, int P)
{
    /// <summary>restic's defaults: N 32768, r 8, p 1.</summary>
    public static KdfParameters Default { get; } = new(32768, 8, 1);

    /// <summary>Cheap parameters for tests only.</summary>
    public static KdfParameters Fast { get; } = new(1024, 8, 1);
}
