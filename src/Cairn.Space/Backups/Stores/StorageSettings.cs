using Cairn.Storage;

namespace Cairn.Space.Backups.Stores;

public enum StorageKind
{
    /// <summary>A folder under the data path (the embedded default, one process).</summary>
    Local,

    /// <summary>An S3 bucket (Ceph RGW, MinIO, Garage, AWS), shared by every replica.</summary>
    S3,
}

/// <summary>
/// Where the repositories live (section <c>Space:Storage</c>): <c>Kind</c> local (default) or s3, and for s3
/// <c>S3:Endpoint</c>, <c>S3:Bucket</c>, <c>S3:Prefix</c>, <c>S3:Region</c> and the credentials
/// <c>S3:AccessKey</c>/<c>S3:SecretKey</c> or restic's <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>.
/// Printing it never shows the secret (<see cref="S3Credentials"/> masks it).
/// </summary>
public sealed record StorageSettings
{
    /// <summary>
    /// Space's part size on S3: the smallest S3 allows, so an upload streaming through holds at most one 5 MiB part
    /// in memory, never a whole 16 MiB pack, and nothing on disk.
    /// </summary>
    public const int S3PartSize = S3StoreOptions.MinPartSize;

    public static readonly StorageSettings Local = new() { Kind = StorageKind.Local };

    public required StorageKind Kind { get; init; }

    /// <summary>The bucket and prefix with credentials; null unless <see cref="Kind"/> is S3.</summary>
    public S3StoreOptions? S3 { get; init; }

    public static StorageSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Space:Storage");
        var kind = section["Kind"];
        if (string.IsNullOrWhiteSpace(kind) || kind.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            return Local;
        }

        if (!kind.Equals("s3", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"Space:Storage:Kind is '{kind}'; it is local (the default) or s3");
        }

        var s3 = section.GetSection("S3");
        var endpoint = s3["Endpoint"];
        if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.UserInfo.Length > 0)
        {
            throw Invalid("Space:Storage:S3:Endpoint must be the server's URL, e.g. http://127.0.0.1:7480 (no path, no credentials in it)");
        }

        var bucket = s3["Bucket"];
        if (string.IsNullOrWhiteSpace(bucket))
        {
            throw Invalid("Space:Storage:S3:Bucket is required when Space:Storage:Kind is s3");
        }

        var prefix = (s3["Prefix"] ?? "").Trim('/');
        S3Location location;
        try
        {
            location = S3Location.Parse($"s3:{uri.GetLeftPart(UriPartial.Authority)}/{bucket}{(prefix.Length == 0 ? "" : "/" + prefix)}");
        }
        catch (StoreLocationException e)
        {
            throw Invalid($"Space:Storage:S3:Bucket or :Prefix: {e.Message}");
        }

        var accessKey = FirstOf(s3["AccessKey"], configuration["AWS_ACCESS_KEY_ID"]);
        var secretKey = FirstOf(s3["SecretKey"], configuration["AWS_SECRET_ACCESS_KEY"]);
        if (accessKey is null || secretKey is null)
        {
            throw Invalid("S3 storage needs Space:Storage:S3:AccessKey and :SecretKey (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        }

        return new StorageSettings
        {
            Kind = StorageKind.S3,
            S3 = new S3StoreOptions
            {
                Location = location,
                Credentials = new S3Credentials(accessKey, secretKey),
                Region = FirstOf(s3["Region"], configuration["AWS_DEFAULT_REGION"]) ?? "us-east-1",
                PartSize = S3PartSize,
            },
        };
    }

    private static string? FirstOf(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static InvalidOperationException Invalid(string message) => new(message);
}
