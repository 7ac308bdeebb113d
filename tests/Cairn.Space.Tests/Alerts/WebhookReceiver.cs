using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Cairn.Testing.Servers;

namespace Cairn.Space.Tests.Alerts;

/// <summary>
/// An HTTP receiver on a free loopback port: records every request (path, headers, body) and answers 200, or the
/// statuses queued in <see cref="FailNext"/> first.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<HttpStatusCode> _failures = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ListenAsync);
    }

    public string Url { get; }

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>The JSON bodies received, parsed.</summary>
    public IReadOnlyList<JsonElement> Bodies => [.. _received.Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())];

    public void FailNext(HttpStatusCode status) => _failures.Enqueue(status);

    private async Task ListenAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var status = _failures.TryDequeue(out var failure) ? failure : HttpStatusCode.OK;
            if (status == HttpStatusCode.OK)
            {
                _received.Enqueue(new ReceivedRequest(context.Request.Url!.AbsolutePath, headers, body));
            }

            context.Response.StatusCode = (int)status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body);
