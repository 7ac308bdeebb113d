using System.Collections.Concurrent;
using System.Net;
using Cairn.Testing.Servers;

namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>
/// A reverse proxy in front of a REST server (rclone serve restic) that counts the requests it passes on, so a test
/// can tell from the server's side what a client downloaded.
/// </summary>
public sealed class CountingRestProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Expect" };

    private readonly LoopbackHttpServer _server;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromMinutes(2) };
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();
    private readonly Uri _target;

    private CountingRestProxy(Uri target)
    {
        _target = target;
        _server = new LoopbackHttpServer(ForwardAsync);
    }

    public Uri BaseUri => _server.BaseUri;

    public static CountingRestProxy Start(Uri target) => new(target);

    /// <summary>The same location with this proxy in place of the server.</summary>
    public string Through(string restLocation) => restLocation.Replace(_target.Authority, BaseUri.Authority, StringComparison.Ordinal);

    /// <summary>GET requests for objects in a repository folder (<c>index</c>, <c>snapshots</c>, <c>data</c>), lists left out.</summary>
    public int Downloads(string folder) =>
        _requests.Count(r => r.Method == "GET" && r.Path.Contains($"/{folder}/", StringComparison.Ordinal) && !r.Path.EndsWith($"/{folder}/", StringComparison.Ordinal));

    /// <summary>Every request passed on since the last <see cref="Reset"/>, in the order they arrived.</summary>
    public IReadOnlyList<(string Method, string Path)> Requests => [.. _requests];

    public void Reset() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _client.Dispose();
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.RawUrl ?? "/";
        _requests.Enqueue((request.HttpMethod, path.Split('?')[0]));
        try
        {
            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, path));
            if (request.HasEntityBody)
            {
                forward.Content = new StreamContent(request.InputStream);
            }

            foreach (var name in request.Headers.AllKeys.OfType<string>().Where(n => !HopHeaders.Contains(n)))
            {
                var value = request.Headers[name]!;
                if (!forward.Headers.TryAddWithoutValidation(name, value))
                {
                    forward.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var answer = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
            {
                response.AddHeader(name, string.Join(", ", values));
            }

            if (answer.Content.Headers.ContentLength is { } length)
            {
                response.ContentLength64 = length;
            }

            if (request.HttpMethod != "HEAD")
            {
                await answer.Content.CopyToAsync(response.OutputStream);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or HttpListenerException)
        {
            response.StatusCode = 502;
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }
}
