namespace Cairn.Storage;

/// <summary>Settings <see cref="ObjectStoreFactory"/> passes to the backends it opens; every one is optional.</summary>
public sealed record ObjectStoreOptions
{
    /// <summary>Retries around network backends; <see cref="RetryOptions.Default"/> if not set.</summary>
    public RetryOptions? Retry { get; init; }

    /// <summary>The clock the retry backoff waits on.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>An HTTP client for <c>rest:</c> instead of the shared one (an in-process test server).</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Where <c>s3:</c> finds its credentials and region (restic's <c>AWS_*</c> names); the process environment if not set.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>The deadline of each REST call, transfers included.</summary>
    public TimeSpan? RestRequestTimeout { get; init; }
}
