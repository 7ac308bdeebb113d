using Xunit;

namespace Cairn.Storage.Testing;

/// <summary>
/// The Ceph RGW the test setup started (test.sh runs tests/setup/start-rgw.sh and exports its endpoint and keys):
/// <c>CAIRN_TEST_S3=http://127.0.0.1:PORT</c>, <c>CAIRN_TEST_S3_ACCESS_KEY</c>, <c>CAIRN_TEST_S3_SECRET_KEY</c>.
/// Without it a test fails under CI (CI=true), and is skipped with the reason on a developer's machine.
/// </summary>
public static class TestRgw
{
    public static Uri Endpoint => new(Require("CAIRN_TEST_S3"));

    public static S3Credentials Credentials => new(Require("CAIRN_TEST_S3_ACCESS_KEY"), Require("CAIRN_TEST_S3_SECRET_KEY"));

    /// <summary>A bucket name of its own for a test run (S3 rules: lower case, at most 63 characters).</summary>
    public static string NewBucketName(string purpose)
    {
        var name = $"cairn-{purpose}-{Guid.NewGuid():n}";
        return name[..Math.Min(63, name.Length)];
    }

    /// <summary>An s3: location for a repository of its own: a fresh prefix in <paramref name="bucket"/>.</summary>
    public static S3Location NewLocation(string bucket) =>
        S3Location.Parse($"s3:{Endpoint.GetLeftPart(UriPartial.Authority)}/{bucket}/repo-{Guid.NewGuid():n}");

    public static S3StoreOptions Options(S3Location location, int partSize = S3StoreOptions.MinPartSize) => new()
    {
        Location = location,
        Credentials = Credentials,
        PartSize = partSize,
    };

    /// <summary>The environment restic and cairn read their S3 credentials from.</summary>
    public static IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = Credentials.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Credentials.SecretAccessKey,
    };

    private static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var reason = $"{variable} is not set: these tests need the Ceph RGW that ./test.sh starts (tests/setup/start-rgw.sh)";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            throw new InvalidOperationException(reason);
        }

        Assert.Skip(reason);
        return "";
    }
}
