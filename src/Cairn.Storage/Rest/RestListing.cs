using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cairn.Storage;

/// <summary>
/// One listing of a kind over REST: <c>GET {path}/{type}/</c>. Version 2 answers are an array of
/// <c>{"name","size"}</c>; a version 1 answer (an array of names) is tolerated and each name is then stat'ed.
/// The array is parsed as it streams in, keeping only names and sizes; names that are not valid object names are skipped.
/// </summary>
internal sealed class RestListing(
    HttpClient http,
    RestLocation location,
    ObjectKind kind,
    TimeSpan timeout,
    Func<ObjectName, CancellationToken, Task<ObjectInfo>> stat)
{
    public async IAsyncEnumerable<ObjectInfo> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var what = $"list {kind.FolderName()}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var response = await SendAsync(what, deadline.Token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            yield break; // the folder was never made: nothing of this kind
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RestErrors.FromResponseAsync(response, what, null, location.Display, cancellationToken).ConfigureAwait(false);
        }

        // Whether the server spoke v1 or v2 is told by each entry's shape (a string or an object), not by its Content-Type.
        var entries = await ReadEntriesAsync(response, what, deadline.Token, cancellationToken).ConfigureAwait(false);
        foreach (var (name, size) in entries)
        {
            if (size is { } known)
            {
                yield return new ObjectInfo(name, known);
            }
            else if (await StatOrNullAsync(name, cancellationToken).ConfigureAwait(false) is { } info)
            {
                yield return info;
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string what, CancellationToken deadline, CancellationToken callerToken)
    {
        try
        {
            using var request = RestRequests.CreateListing(new Uri(location.BaseUri, kind.FolderName() + "/"), location);
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw RestErrors.FromTransport(e, what, location.Display, callerToken);
        }
    }

    /// <summary>Reads the array, keeping the valid entries (collected first: errors are mapped here, where yield cannot be).</summary>
    private async Task<List<(ObjectName Name, long? Size)>> ReadEntriesAsync(HttpResponseMessage response, string what, CancellationToken deadline, CancellationToken callerToken)
    {
        try
        {
            var body = await response.Content.ReadAsStreamAsync(deadline).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var list = new List<(ObjectName, long?)>();
                await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable(body, RestJsonContext.Default.JsonElement, deadline).ConfigureAwait(false))
                {
                    if (ParseEntry(element) is { } entry)
                    {
                        list.Add(entry);
                    }
                }

                return list;
            }
        }
        catch (JsonException e)
        {
            throw new StorageException($"{what}: the server's answer is not a JSON array: {e.Message}", isTransient: false, e);
        }
        catch (Exception e) when (e is not StorageException)
        {
            throw RestErrors.FromTransport(e, what, location.Display, callerToken);
        }
    }

    private (ObjectName Name, long? Size)? ParseEntry(JsonElement entry)
    {
        string? name;
        long? size = null;
        if (entry.ValueKind == JsonValueKind.Object)
        {
            name = entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (entry.TryGetProperty("size", out var s) && s.TryGetInt64(out var value) && value >= 0)
            {
                size = value;
            }
        }
        else
        {
            name = entry.ValueKind == JsonValueKind.String ? entry.GetString() : null;
        }

        return name is not null && ObjectName.TryCreate(kind, name, out var parsed) ? (parsed, size) : null;
    }

    private async Task<ObjectInfo?> StatOrNullAsync(ObjectName name, CancellationToken cancellationToken)
    {
        try
        {
            return await stat(name, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            return null; // deleted since it was listed
        }
    }
}
