using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cairn.Storage.Testing;

namespace Cairn.Space.Cluster.Tests.Infrastructure;

/// <summary>
/// A fresh bucket on the test RGW (<c>CAIRN_TEST_S3</c>) for one cluster, read with the AWS SDK directly, not through
/// Space or Cairn.Storage, so what the tests count is what the object store holds. Emptied and removed at the end.
/// </summary>
public sealed class ClusterBucket : IAsyncDisposable
{
    private readonly AmazonS3Client _client;

    private ClusterBucket(AmazonS3Client client, string name)
    {
        _client = client;
        Name = name;
    }

    public string Name { get; }

    public static Uri Endpoint => TestRgw.Endpoint;

    public static async Task<ClusterBucket> CreateAsync()
    {
        var credentials = TestRgw.Credentials;
        var client = new AmazonS3Client(new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey), new AmazonS3Config
        {
            ServiceURL = Endpoint.AbsoluteUri,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var name = TestRgw.NewBucketName("cluster");
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return new ClusterBucket(client, name);
    }

    /// <summary>Every object under <paramref name="prefix"/> with its size, over all pages of the listing.</summary>
    public async Task<SortedDictionary<string, long>> ListAsync(string prefix = "")
    {
        var objects = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = Name, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await _client.ListObjectsV2Async(request);
            foreach (var entry in page.S3Objects ?? [])
            {
                objects[entry.Key] = entry.Size ?? 0;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return objects;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var batch in (await ListAsync()).Keys.Chunk(1000))
            {
                await _client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = Name,
                    Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
                });
            }

            await _client.DeleteBucketAsync(Name);
        }
        catch (AmazonServiceException)
        {
            // Best effort: RGW is thrown away with the test run.
        }

        _client.Dispose();
    }
}
