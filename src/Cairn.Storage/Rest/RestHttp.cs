using System.Net;

namespace Cairn.Storage;

/// <summary>The one HTTP client every REST store shares: pooled connections, renewed now and then so DNS changes are seen.</summary>
internal static class RestHttp
{
    public const string V2MediaType = "application/vnd.x.restic.rest.v2";

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        MaxConnectionsPerServer = 16,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
    })
    {
        // Each call sets its own deadline (RestObjectStore), so large transfers are not cut by a global one.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    public static HttpClient Shared => SharedClient.Value;
}
