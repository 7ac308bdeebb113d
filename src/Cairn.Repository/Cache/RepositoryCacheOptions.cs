namespace Cairn.Repository.Cache;

/// <summary>
/// Where a remote repository's local cache lives and how large it may grow (docs/architecture.md, "The local
/// cache"). The repository's folder is <see cref="Root"/>/&lt;repository ID&gt;.
/// </summary>
public sealed record RepositoryCacheOptions(string Root)
{
    /// <summary>Bytes the repository's folder may hold; the least recently used entries go first. Null: no bound (restic's way).</summary>
    public long? MaxSize { get; init; }

    /// <summary>Clock for cache ages (injected so tests control it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
