using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Testing.Servers;

namespace Cairn.Agent.Tests.Infrastructure;

/// <summary>
/// A small Space on loopback speaking docs/agent-protocol.md's agent routes (enroll, sync, ack, runs), recording
/// every request it gets (method, URL, headers, body) so tests can search them.
/// </summary>
public sealed class FakeSpace : IAsyncDisposable
{
    public const string Code = "ABCD-EFGH";
    public const string Instance = "web-1";

    private readonly LoopbackHttpServer _server;
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _plans = [];
    private readonly List<JsonObject> _commands = [];
    private bool _codeUsed;

    public FakeSpace() => _server = new LoopbackHttpServer(HandleAsync);

    public int Port => _server.Port;

    public Uri Url => _server.BaseUri;

    public string AgentId { get; } = Guid.NewGuid().ToString("D");

    public string Token => $"cairn-agent_{AgentId}_secret0123456789";

    public long Revision { get; private set; } = 1;

    /// <summary>The owner revoked the agent: every agent request answers 401.</summary>
    public bool Revoked { get; set; }

    /// <summary>PUTs of runs to answer 503 before the next one succeeds.</summary>
    public int FailingRunReports { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Every accepted run report, in arrival order.</summary>
    public ConcurrentQueue<(string RunId, JsonObject Report)> RunReports { get; } = new();

    public ConcurrentQueue<string> Acknowledged { get; } = new();

    public void SetPlans(params JsonObject[] plans)
    {
        lock (_gate)
        {
            _plans.Clear();
            _plans.AddRange(plans);
            Revision++;
        }
    }

    public void AddCommand(JsonObject command)
    {
        lock (_gate)
        {
            _commands.Add(command);
        }
    }

    public IReadOnlyList<JsonObject> ReportsOf(string runId) => [.. RunReports.Where(r => r.RunId == runId).Select(r => r.Report)];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var headers = request.Headers.AllKeys.Select(k => $"{k}: {request.Headers[k]}").ToList();
        Requests.Enqueue(new RecordedRequest(request.HttpMethod, request.Url!.PathAndQuery, headers, body));
        var (status, answer) = await RouteAsync(request, body).ConfigureAwait(false);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answer)).ConfigureAwait(false);
        context.Response.Close();
    }

    private async Task<(int Status, string Body)> RouteAsync(HttpListenerRequest request, string body)
    {
        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "POST" && path == "/api/v1/agent/enroll")
        {
            return Enroll(body);
        }

        if (Revoked || request.Headers["Authorization"] != "Bearer " + Token)
        {
            return (401, """{"error":"unknown agent"}""");
        }

        if (request.HttpMethod == "GET" && path == "/api/v1/agent/sync")
        {
            return await SyncAsync(long.Parse(request.QueryString["revision"] ?? "-1", System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (request.HttpMethod == "POST" && path.StartsWith("/api/v1/agent/commands/", StringComparison.Ordinal) && path.EndsWith("/ack", StringComparison.Ordinal))
        {
            var id = path["/api/v1/agent/commands/".Length..^"/ack".Length];
            lock (_gate)
            {
                _commands.RemoveAll(c => (string?)c["id"] == id);
            }

            Acknowledged.Enqueue(id);
            return (200, "{}");
        }

        if (request.HttpMethod == "PUT" && path.StartsWith("/api/v1/agent/runs/", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                if (FailingRunReports > 0)
                {
                    FailingRunReports--;
                    return (503, """{"error":"down for maintenance"}""");
                }
            }

            RunReports.Enqueue((path["/api/v1/agent/runs/".Length..], JsonNode.Parse(body)!.AsObject()));
            return (200, "{}");
        }

        return (404, """{"error":"no such route"}""");
    }

    private (int, string) Enroll(string body)
    {
        var code = (string?)JsonNode.Parse(body)?["code"];
        lock (_gate)
        {
            if (code != Code || _codeUsed)
            {
                return (400, """{"error":"the code is wrong, expired or used"}""");
            }

            _codeUsed = true;
        }

        return (200, new JsonObject { ["agentId"] = AgentId, ["token"] = Token, ["instance"] = Instance }.ToJsonString());
    }

    private async Task<(int, string)> SyncAsync(long revision)
    {
        // A short hold instead of the real wait: the agent asks again at once, which is all the tests need.
        for (var i = 0; i < 10; i++)
        {
            lock (_gate)
            {
                if (revision != Revision || _commands.Count > 0)
                {
                    break;
                }
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        lock (_gate)
        {
            var answer = new JsonObject
            {
                ["revision"] = Revision,
                ["plans"] = new JsonArray([.. _plans.Select(p => p.DeepClone())]),
                ["commands"] = new JsonArray([.. _commands.Select(c => c.DeepClone())]),
            };
            return (200, answer.ToJsonString(new JsonSerializerOptions()));
        }
    }
}

public sealed record RecordedRequest(string Method, string Url, IReadOnlyList<string> Headers, string Body)
{
    public bool Contains(string text) =>
        Url.Contains(text, StringComparison.Ordinal) || Body.Contains(text, StringComparison.Ordinal) || Headers.Any(h => h.Contains(text, StringComparison.Ordinal));
}
