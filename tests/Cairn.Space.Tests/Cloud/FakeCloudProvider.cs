using System.Collections.Concurrent;
using System.Text.Json;
using Cairn.Space.CloudRestore.CloudApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// A cloud provider's HTTP API for the cloud-api driver, on loopback: <c>GET/POST servers</c>,
/// <c>GET/DELETE servers/{id}</c>, each refused (401) without the bearer token. A created server "boots" on the
/// <see cref="SshTestHost"/>: the ssh key it was given goes into that host's authorized_keys, and after
/// <see cref="PollsBeforeRunning"/> reads it runs with the host's address and host key. Records what it was asked.
/// </summary>
public sealed class FakeCloudProvider : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly SshTestHost _host;
    private readonly string _token;
    private readonly ConcurrentDictionary<long, (CloudApiServer Server, int Reads)> _servers = new();
    private readonly WebApplication _app;
    private long _nextId = 4711;

    private FakeCloudProvider(SshTestHost host, string token)
    {
        _host = host;
        _token = token;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + _token)
            {
                Interlocked.Increment(ref _unauthorized);
                await WriteAsync(context, StatusCodes.Status401Unauthorized, new CloudApiErrorResponse(new CloudApiError("unauthorized", "unable to authenticate")));
                return;
            }

            await next(context);
        });
        _app.MapGet("/v1/servers", (string? name) => Results.Json(
            new CloudApiServersResponse([.. _servers.Values.Select(s => s.Server).Where(s => name is null || s.Name == name)]), Json));
        _app.MapPost("/v1/servers", (Delegate)CreateAsync);
        _app.MapGet("/v1/servers/{id:long}", Read);
        _app.MapDelete("/v1/servers/{id:long}", async (long id) =>
        {
            if (!_servers.TryRemove(id, out var gone))
            {
                return Results.Json(new CloudApiErrorResponse(new CloudApiError("not_found", $"server {id} not found")), Json, statusCode: 404);
            }

            // A deleted server's disk goes with it: here, what the driver made on the shared host for that instance.
            var folder = Path.Combine(_host.TargetFolder, Guid.Parse(gone.Server.Name).ToString("N"));
            (await Cairn.Testing.Processes.Programs.RunAsync("rm", "-rf", "--", folder)).EnsureSuccess();
            Deleted.Enqueue(id);
            return Results.NoContent();
        });
    }

    private int _unauthorized;

    /// <summary>Reads of a new server that still find it initializing.</summary>
    public int PollsBeforeRunning { get; set; } = 2;

    /// <summary>When set, creating a server fails with 422 and this message, as a provider over its quota does.</summary>
    public string? RefuseCreation { get; set; }

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<CloudApiCreateServer> Created { get; } = new();
    public ConcurrentQueue<long> Deleted { get; } = new();
    public int Unauthorized => _unauthorized;
    public IReadOnlyList<CloudApiServer> Servers => [.. _servers.Values.Select(s => s.Server)];

    public static async Task<FakeCloudProvider> StartAsync(SshTestHost host, string token)
    {
        var provider = new FakeCloudProvider(host, token);
        await provider._app.StartAsync();
        var address = provider._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.BaseUrl = address.TrimEnd('/') + "/v1";
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> CreateAsync(HttpContext context)
    {
        var body = await JsonSerializer.DeserializeAsync<CloudApiCreateServer>(context.Request.Body, Json);
        if (body is null || string.IsNullOrEmpty(body.Name) || body.SshKeys.Count != 1)
        {
            return Results.Json(new CloudApiErrorResponse(new CloudApiError("invalid_input", "name and one ssh key are needed")), Json, statusCode: 400);
        }

        if (RefuseCreation is { } refusal)
        {
            return Results.Json(new CloudApiErrorResponse(new CloudApiError("resource_limit_exceeded", refusal)), Json, statusCode: 422);
        }

        if (_servers.Values.Any(s => s.Server.Name == body.Name))
        {
            return Results.Json(new CloudApiErrorResponse(new CloudApiError("uniqueness_error", "server name is already used")), Json, statusCode: 409);
        }

        Created.Enqueue(body);
        await _host.AuthorizeAsync(body.SshKeys[0]); // what cloud-init does with the key on a real server
        var server = new CloudApiServer(Interlocked.Increment(ref _nextId), body.Name, "initializing", null, null);
        _servers[server.Id] = (server, 0);
        return Results.Json(new CloudApiServerResponse(server), Json, statusCode: 201);
    }

    private IResult Read(long id)
    {
        if (!_servers.TryGetValue(id, out var entry))
        {
            return Results.Json(new CloudApiErrorResponse(new CloudApiError("not_found", $"server {id} not found")), Json, statusCode: 404);
        }

        var server = entry.Reads + 1 > PollsBeforeRunning
            ? entry.Server with { Status = CloudApiServer.Running, PublicNet = new(new(_host.Address)), HostKeys = [_host.HostKey] }
            : entry.Server;
        _servers[id] = (server, entry.Reads + 1);
        return Results.Json(new CloudApiServerResponse(server), Json);
    }

    private static Task WriteAsync(HttpContext context, int status, CloudApiErrorResponse error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(error, Json);
    }
}
