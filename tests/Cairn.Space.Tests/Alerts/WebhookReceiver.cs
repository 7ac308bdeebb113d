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
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<HttpStatusCode> _failures = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly LoopbackHttpServer _server;

    // One at a time, so the statuses queued by FailNext answer the requests in the order they came.
    public WebhookReceiver() => _server = new LoopbackHttpServer(AnswerAsync, "/hook/", oneAtATime: true);

    public string Url => _server.BaseUri.ToString();

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>The JSON bodies received, parsed.</summary>
    public IReadOnlyList<JsonElement> Bodies => [.. _received.Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())];

    public void FailNext(HttpStatusCode status) => _failures.Enqueue(status);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(HttpListenerContext context)
    {
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

public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body);
