namespace Cairn.Storage;

/// <summary>How an <see cref="S3ObjectStore"/> reaches its bucket and moves bytes; all but the location and credentials have defaults.</summary>
public sealed record S3StoreOptions
{
    /// <summary>The smallest part S3 takes in a multipart upload (every part but the last).</summary>
    public const int MinPartSize = 5 << 20;

    /// <summary>The default <see cref="PartSize"/>: 16 MiB, restic's pack size.</summary>
    public const int DefaultPartSize = 16 << 20;

    /// <summary>Endpoint, bucket and prefix.</summary>
    public required S3Location Location { get; init; }

    /// <summary>The access key.</summary>
    public required S3Credentials Credentials { get; init; }

    /// <summary>The signing region; restic's default too. RGW, MinIO and Garage accept any region they are configured with.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>
    /// Objects up to this size go in one PUT; larger ones in parts of this size, so an upload holds at most one part
    /// in memory (none when the caller's stream can seek: parts are then read from it in place). 16 MiB: a
    /// pack of the default size is one part and a small tail, as with restic's S3 client.
    /// </summary>
    public int PartSize { get; init; } = DefaultPartSize;

    /// <summary>Keys asked for per listing page (S3 answers at most 1000).</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>The deadline of each request, a part's transfer included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Options for a location, with credentials and region from restic's environment variables.</summary>
    public static S3StoreOptions FromEnvironment(S3Location location, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        environment ??= Environment.GetEnvironmentVariable;
        var region = environment("AWS_DEFAULT_REGION");
        return new S3StoreOptions
        {
            Location = location,
            Credentials = S3Credentials.FromEnvironment(environment),
            Region = string.IsNullOrEmpty(region) ? "us-east-1" : region,
        };
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Location);
        ArgumentNullException.ThrowIfNull(Credentials);
        ArgumentOutOfRangeException.ThrowIfLessThan(PartSize, MinPartSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(ListPageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ListPageSize, 1000);
    }
}
