using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Space.CloudRestore.Worker;

namespace Cairn.Space.CloudRestore.CloudApi;

/// <summary>
/// The four calls a <c>cloud-api</c> provider answers, each with the token as a bearer header (never in a URL, a log
/// or a message): find a server by name, create one, read one, delete one. Failures become
/// <see cref="CloudRestoreFailedException"/> with the API's status, code and message, which the order shows.
/// </summary>
internal sealed class CloudApiClient(HttpClient http, Uri api, string token, string provider)
{
    /// <summary>How much of an API error's code and message an order's reason keeps.</summary>
    private const int MaxSaid = 300;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<CloudApiServer?> FindAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"servers?name={Uri.EscapeDataString(name)}", null, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, "look up server " + name, cancellationToken).ConfigureAwait(false);
        var found = await response.Content.ReadFromJsonAsync<CloudApiServersResponse>(Json, cancellationToken).ConfigureAwait(false);
        return found?.Servers.FirstOrDefault(s => s.Name == name); // the name is the idempotency key: only an exact match is ours
    }

    /// <summary>Creates the server; null when the API says the name is taken (another attempt made it first).</summary>
    public async Task<CloudApiServer?> CreateAsync(CloudApiCreateServer body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "servers", JsonContent.Create(body, options: Json), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }

        await EnsureAsync(response, "create server " + body.Name, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<CloudApiServerResponse>(Json, cancellationToken).ConfigureAwait(false))?.Server
               ?? throw new CloudRestoreFailedException($"provider '{provider}' answered the creation of server {body.Name} with no server");
    }

    public async Task<CloudApiServer> GetAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"servers/{id}", null, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, $"read server {id}", cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<CloudApiServerResponse>(Json, cancellationToken).ConfigureAwait(false))?.Server
               ?? throw new CloudRestoreFailedException($"provider '{provider}' answered for server {id} with no server");
    }

    /// <summary>Deletes the server; one that is gone already (404) counts as deleted.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"servers/{id}", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureAsync(response, $"delete server {id}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(api, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CloudRestoreFailedException($"provider '{provider}': its API at {api} did not answer ({e.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudRestoreFailedException($"provider '{provider}': its API at {api} did not answer in time");
        }
    }

    private async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var said = "";
        try
        {
            var error = (await response.Content.ReadFromJsonAsync<CloudApiErrorResponse>(Json, cancellationToken).ConfigureAwait(false))?.Error;
            said = error is null ? "" : $": {error.Code} {error.Message}".TrimEnd();
            said = said.Length > MaxSaid ? said[..MaxSaid] + "..." : said; // the API's text goes into the order's reason
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not the API's error shape; the status says enough.
        }

        var hint = response.StatusCode == HttpStatusCode.Unauthorized ? " (is the provider's API token right?)" : "";
        throw new CloudRestoreFailedException(
            $"provider '{provider}' refused to {what}: {(int)response.StatusCode} {response.ReasonPhrase}{said}{hint}");
    }
}
