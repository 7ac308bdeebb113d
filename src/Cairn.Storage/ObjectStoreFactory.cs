namespace Cairn.Storage;

/// <summary>
/// Opens the store a location names, by its scheme as restic spells them: <c>rest:http://…</c> and
/// <c>s3:http(s)://host/bucket/prefix</c> (both wrapped in retries; S3 credentials from <c>AWS_ACCESS_KEY_ID</c> and
/// <c>AWS_SECRET_ACCESS_KEY</c>, region from <c>AWS_DEFAULT_REGION</c>), <c>local:/path</c> or a plain path, <c>memory:</c> (a fresh, empty in-memory store). Opening does
/// no I/O: whether a repository is there is for the caller to check (a missing <c>config</c>).
/// </summary>
public static class ObjectStoreFactory
{
    private const string LocalScheme = "local:";
    private const string MemoryScheme = "memory:";

    // restic's other backends: named so that a location using one is refused clearly instead of becoming a folder name.
    private static readonly string[] UnsupportedSchemes = ["sftp", "b2", "azure", "gs", "swift", "rclone"];

    /// <summary>Whether a location names a store across a network (<c>rest:</c>, <c>s3:</c>): the ones a local cache pays for.</summary>
    public static bool IsRemote(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith(RestLocation.Scheme, StringComparison.OrdinalIgnoreCase)
            || location.StartsWith(S3Location.Scheme, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Opens the store a location names: a path or <c>local:</c>, <c>rest:</c> or <c>s3:</c>. A local store keeps the
    /// packs it reads open between ranged reads until it is disposed (<see cref="LocalObjectStore(string, bool)"/>).
    /// </summary>
    public static IObjectStore Open(string location, ObjectStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        options ??= new ObjectStoreOptions();

        if (location.StartsWith(RestLocation.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var rest = new RestObjectStore(RestLocation.Parse(location), options.HttpClient, options.RestRequestTimeout);
            return new RetryingObjectStore(rest, options.Retry, options.TimeProvider);
        }

        if (location.StartsWith(S3Location.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var s3Options = S3StoreOptions.FromEnvironment(S3Location.Parse(location), options.Environment);
            return new RetryingObjectStore(new S3ObjectStore(s3Options), options.Retry, options.TimeProvider);
        }

        if (location.StartsWith(LocalScheme, StringComparison.OrdinalIgnoreCase))
        {
            var path = location[LocalScheme.Length..];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("local: needs a path, e.g. local:/srv/backup", nameof(location));
            }

            return new LocalObjectStore(path, keepPacksOpen: true);
        }

        if (location.Equals(MemoryScheme, StringComparison.OrdinalIgnoreCase))
        {
            return new InMemoryObjectStore();
        }

        var colon = location.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1 && Array.IndexOf(UnsupportedSchemes, location[..colon].ToLowerInvariant()) >= 0)
        {
            var scheme = location[..(colon + 1)].ToLowerInvariant();
            throw new NotSupportedException($"{scheme} is not supported; Cairn speaks local paths, rest: and s3: (use `rclone serve restic` to reach other storage)");
        }

        return new LocalObjectStore(location, keepPacksOpen: true);
    }
}
