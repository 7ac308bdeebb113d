namespace Cairn.Storage;

/// <summary>An access key pair (and a session token for temporary credentials). Never printed: ToString masks the secret.</summary>
public sealed record S3Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>restic's names: <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and, when set, <c>AWS_SESSION_TOKEN</c>.</summary>
    public static S3Credentials FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var key = environment("AWS_ACCESS_KEY_ID");
        var secret = environment("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
        {
            throw new StoreLocationException("an s3: repository needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
        }

        var token = environment("AWS_SESSION_TOKEN");
        return new S3Credentials(key, secret, string.IsNullOrEmpty(token) ? null : token);
    }

    /// <summary>The access key id with the secret masked, so logs never show the secret.</summary>
    public override string ToString() => $"S3Credentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = *** }}";
}
