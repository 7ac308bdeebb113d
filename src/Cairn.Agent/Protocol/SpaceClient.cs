using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Cairn.Agent.Protocol;

/// <summary>
/// The agent's side of docs/agent-protocol.md over one <see cref="HttpClient"/> whose base address is Space's URL.
/// Failures that a retry may cure (no connection, time-out, 5xx, 429) throw <see cref="SpaceUnreachableException"/>;
/// a refused token throws <see cref="AgentRevokedException"/>.
/// </summary>
public sealed class SpaceClient(HttpClient http, string? token)
{
    private const string Api = "api/v1/";

    public static async Task<EnrollResponse> EnrollAsync(HttpClient http, EnrollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await SendAsync(http, () => new HttpRequestMessage(HttpMethod.Post, Api + "agent/enroll")
        {
            Content = JsonContent.Create(request, AgentJsonContext.Default.EnrollRequest),
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new EnrollmentRefusedException(error ?? "Space refused the code");
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.EnrollResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new SpaceUnreachableException("Space answered the enrollment with no body");
    }

    /// <summary>The long poll: answers when the plan revision differs from <paramref name="revision"/> or a command waits.</summary>
    public async Task<SyncResponse> SyncAsync(long revision, int waitSeconds, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"{Api}agent/sync?revision={revision}&wait={waitSeconds}");
        using var response = await SendAsync(http, () => Authorized(new HttpRequestMessage(HttpMethod.Get, path)), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.SyncResponse, cancellationToken).ConfigureAwait(false)
            ?? new SyncResponse { Revision = revision };
    }

    public async Task AcknowledgeAsync(string commandId, CancellationToken cancellationToken)
    {
        var path = Api + "agent/commands/" + Uri.EscapeDataString(commandId) + "/ack";
        using var response = await SendAsync(http, () => Authorized(new HttpRequestMessage(HttpMethod.Post, path)), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a run's whole state. A 409 (an ended run Space already has otherwise) counts as delivered: it is never changed again.</summary>
    public async Task ReportRunAsync(string runId, RunReport report, CancellationToken cancellationToken)
    {
        var path = Api + "agent/runs/" + Uri.EscapeDataString(runId);
        using var response = await SendAsync(http, () => Authorized(new HttpRequestMessage(HttpMethod.Put, path)
        {
            Content = JsonContent.Create(report, AgentJsonContext.Default.RunReport),
        }), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var message = request();
        try
        {
            return await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SpaceUnreachableException($"Space is unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SpaceUnreachableException("Space did not answer in time", e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var message = $"Space answered {status}{(error is null ? "" : ": " + error)}";
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new AgentRevokedException(message),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => new SpaceUnreachableException(message),
            _ when status >= 500 => new SpaceUnreachableException(message),
            _ => new SpaceRefusedException(message),
        };
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.ErrorResponse, cancellationToken).ConfigureAwait(false);
            return body?.Error;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
