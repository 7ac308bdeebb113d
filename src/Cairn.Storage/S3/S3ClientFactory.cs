using Amazon.Runtime;
using Amazon.S3;

namespace Cairn.Storage;

/// <summary>Makes the AWS SDK client for an S3-compatible server, set up the way RGW, MinIO and Garage need it.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = options.Location.Endpoint.AbsoluteUri,
            AuthenticationRegion = options.Region,
            // Buckets in the path (host/bucket/key): no DNS name per bucket, which self-hosted servers rarely have.
            ForcePathStyle = true,
            // SDK 4 sends CRC checksums with every upload unless told otherwise; servers other than AWS may refuse
            // them (RGW does for some calls). Integrity is the repository's own: every object is named by its SHA-256.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Retries are RetryingObjectStore's (one policy for every backend, with backoff, told to the user); none
            // in the SDK, not even its immediate retries of reset connections (SocketsHttpHandler already renews
            // pooled connections the server closed).
            MaxErrorRetry = 0,
            MaxStaleConnectionRetries = 0,
            Timeout = options.RequestTimeout,
        };
        AWSCredentials credentials = options.Credentials.SessionToken is { } token
            ? new SessionAWSCredentials(options.Credentials.AccessKeyId, options.Credentials.SecretAccessKey, token)
            : new BasicAWSCredentials(options.Credentials.AccessKeyId, options.Credentials.SecretAccessKey);
        return new AmazonS3Client(credentials, config);
    }
}
