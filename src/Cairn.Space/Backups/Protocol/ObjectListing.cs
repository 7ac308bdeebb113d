using System.Text.Json;
using Cairn.Storage;

namespace Cairn.Space.Backups.Protocol;

/// <summary>The REST protocol's listing of one folder: names (v1) or names and sizes (v2, by <c>Accept</c>), streamed.</summary>
internal static class ObjectListing
{
    public static async Task<IResult> WriteAsync(HttpContext context, IObjectStore store, ObjectKind kind)
    {
        var v2 = context.Request.Headers.Accept.Any(a => a?.Contains(RepositoryApi.V2, StringComparison.OrdinalIgnoreCase) == true);
        context.Response.ContentType = v2 ? RepositoryApi.V2 : RepositoryApi.V1;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return TypedResults.Empty;
        }

        // The first entry is asked for before a byte is written, so a store that fails at once is still answered
        // with a status of its own (503 for a transient failure), not a 200 cut short.
        var entries = store.ListAsync(kind, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        await using var entriesLifetime = entries.ConfigureAwait(false);
        var more = await entries.MoveNextAsync().ConfigureAwait(false);
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartArray();
        var count = 0;
        for (; more; more = await entries.MoveNextAsync().ConfigureAwait(false))
        {
            var info = entries.Current;
            if (v2)
            {
                json.WriteStartObject();
                json.WriteString("name", info.Name.Name);
                json.WriteNumber("size", info.Size);
                json.WriteEndObject();
            }
            else
            {
                json.WriteStringValue(info.Name.Name);
            }

            if (++count % 1024 == 0)
            {
                await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Empty;
    }
}
