using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// The Ceph RGW the test setup starts (test.sh: tests/setup/start-rgw.sh, exporting <c>CAIRN_TEST_S3</c>,
/// <c>CAIRN_TEST_S3_ACCESS_KEY</c>, <c>CAIRN_TEST_S3_SECRET_KEY</c>). Without it the S3 variants fail, never skip.
/// Every Space on S3 gets a prefix of its own in one shared bucket, as a real deployment's replicas share one.
/// </summary>
public static class TestS3
{
    public const string Bucket = "cairn-space-tests";

    public static string Endpoint => Require("CAIRN_TEST_S3").TrimEnd('/');
    public static string AccessKey => Require("CAIRN_TEST_S3_ACCESS_KEY");
    public static string SecretKey => Require("CAIRN_TEST_S3_SECRET_KEY");

    /// <summary>The settings that put a Space's repositories under <paramref name="prefix"/> of the shared bucket.</summary>
    public static Dictionary<string, string?> Settings(string prefix, string? endpoint = null) => new()
    {
        ["Space:Storage:Kind"] = "s3",
        ["Space:Storage:S3:Endpoint"] = endpoint ?? Endpoint,
        ["Space:Storage:S3:Bucket"] = Bucket,
        ["Space:Storage:S3:Prefix"] = prefix,
        ["Space:Storage:S3:AccessKey"] = AccessKey,
        ["Space:Storage:S3:SecretKey"] = SecretKey,
    };

    public static string NewPrefix() => "space-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>What restic needs to open a repository on RGW itself.</summary>
    public static IReadOnlyDictionary<string, string> ResticEnvironment => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
    };

    public static AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            // RGW refuses the CRC checksums SDK 4 sends by default (as Cairn.Storage's client notes).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>Every key under a folder of the bucket with its size, listed by RGW itself.</summary>
    public static async Task<SortedDictionary<string, long>> ObjectsUnderAsync(string folder)
    {
        using var client = Client();
        var found = new SortedDictionary<string, long>(StringComparer.Ordinal);
        string? continuation = null;
        do
        {
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = Bucket, Prefix = folder.TrimEnd('/') + "/", ContinuationToken = continuation,
            });
            foreach (var entry in page.S3Objects ?? [])
            {
                found[entry.Key] = entry.Size ?? 0;
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
        return found;
    }

    public static async Task PutAsync(string key, string content)
    {
        using var client = Client();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = content });
    }

    private static string Require(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: the S3 variants of the Space tests need the Ceph RGW that ./test.sh starts " +
                "(tests/setup/start-rgw.sh DIR PORT MONPORT, then export CAIRN_TEST_S3=http://127.0.0.1:PORT and its keys)");
}
