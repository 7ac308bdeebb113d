using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace Cairn.Storage;

/// <summary>
/// The <c>rest:</c> backend: restic's REST protocol version 2 (rest-server, <c>rclone serve restic</c>, Cairn Space).
/// Write-once is enforced on the client (a HEAD before each save), because some servers overwrite. Servers that
/// write uploads in place (<c>rclone serve restic</c> on a local disk) may keep a partial file after an upload
/// failed; a later save of the same name through this store overwrites that debris instead of calling it a conflict.
/// </summary>
internal sealed class RestObjectStore : IObjectStore
{
    private readonly RestLocation _location;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    // Names whose upload failed after the server said they were absent: what is there now is our own debris.
    private readonly ConcurrentDictionary<ObjectName, byte> _abandoned = new();

    /// <param name="location">Where the repository is; its credentials are sent as basic authentication.</param>
    /// <param name="httpClient">A client to use instead of the shared one (tests, an in-process server).</param>
    /// <param name="requestTimeout">The deadline of each call, transfers included; five minutes if not given.</param>
    public RestObjectStore(RestLocation location, HttpClient? httpClient = null, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        _location = location;
        _http = httpClient ?? RestHttp.Shared;
        _timeout = requestTimeout ?? TimeSpan.FromMinutes(5);
    }

    public RestObjectStore(string location, HttpClient? httpClient = null, TimeSpan? requestTimeout = null)
        : this(RestLocation.Parse(location), httpClient, requestTimeout)
    {
    }

    public string Location => _location.Display;

    public async Task CreateAsync(CancellationToken cancellationToken = default)
    {
        if (await TryStatAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new StorageException($"a repository already exists at {Location} (it has a config)");
        }

        var uri = new Uri(_location.BaseUri, "?create=true");
        using var response = await SendAsync(HttpMethod.Post, uri, "create the repository", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "create the repository", null, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveAsync(ObjectName name, ObjectContent source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var length = source.Length;
        await using var content = source.Open();
        if (!_abandoned.ContainsKey(name) && await TryStatAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // Write once: same length is the same content-addressed bytes; servers such as rclone would overwrite.
            length ??= await CountToEndAsync(content, cancellationToken).ConfigureAwait(false);
            if (existing.Size != length)
            {
                throw new ObjectExistsException(name);
            }

            return;
        }

        try
        {
            using var body = new StreamBodyContent(content, length);
            using var response = await SendAsync(HttpMethod.Post, UriOf(name), $"save {name}", body, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, $"save {name}", name, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _abandoned.TryAdd(name, 0);
            throw;
        }

        _abandoned.TryRemove(name, out _);
    }

    public async Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default) =>
        await TryStatAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(name);

    public async Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (buffer.Length == 0)
        {
            var info = await StatAsync(name, cancellationToken).ConfigureAwait(false);
            ThrowIfShort(name, offset, buffer.Length, info.Size - offset);
            return;
        }

        var what = $"read {name}";
        using var timeout = Deadline(cancellationToken);
        try
        {
            using var request = NewRequest(HttpMethod.Get, UriOf(name), null);
            request.Headers.Range = new RangeHeaderValue(offset, offset + buffer.Length - 1);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                ThrowIfShort(name, offset, buffer.Length, 0);
            }

            await EnsureSuccessAsync(response, what, name, timeout.Token).ConfigureAwait(false);
            await RestRangeReader.ReadAsync(response, name, offset, buffer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StorageException)
        {
            throw RestErrors.FromTransport(e, what, Location, cancellationToken);
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var what = $"open {name}";
        using var timeout = Deadline(cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            using var request = NewRequest(HttpMethod.Get, UriOf(name), null);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, what, name, timeout.Token).ConfigureAwait(false);

            // Disposing the content stream ends the response; the deadline covered only the wait for headers.
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            response?.Dispose();
            throw e is StorageException ? e : RestErrors.FromTransport(e, what, Location, cancellationToken);
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (kind == ObjectKind.Config)
        {
            if (await TryStatAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false) is { } config)
            {
                yield return config;
            }

            yield break;
        }

        var listing = new RestListing(_http, _location, kind, _timeout, StatAsync);
        await foreach (var info in listing.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return info;
        }
    }

    public async Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, UriOf(name), $"delete {name}", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"delete {name}", name, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override string ToString() => Location;

    internal Uri UriOf(ObjectName name) => new(_location.BaseUri, name.Kind == ObjectKind.Config
        ? ObjectName.ConfigName
        : $"{name.Kind.FolderName()}/{name.Name}");

    private async Task<ObjectInfo?> TryStatAsync(ObjectName name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Head, UriOf(name), $"stat {name}", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"stat {name}", name, cancellationToken).ConfigureAwait(false);
        var length = response.Content.Headers.ContentLength
            ?? throw new StorageException($"stat {name}: the server sent no Content-Length", isTransient: false);
        return new ObjectInfo(name, length);
    }

    /// <summary>Sends one request with the per-call deadline, reading the whole answer; transport failures are mapped.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, string what, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = Deadline(cancellationToken);
        try
        {
            using var request = NewRequest(method, uri, content);
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw RestErrors.FromTransport(e, what, Location, cancellationToken);
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri, HttpContent? content) =>
        RestRequests.Create(method, uri, _location, content);

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        return cts;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, ObjectName? name, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await RestErrors.FromResponseAsync(response, what, name, Location, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void ThrowIfShort(ObjectName name, long offset, int wanted, long available)
    {
        if (available < wanted)
        {
            throw new StorageException($"{name} is shorter than the {wanted} bytes asked for at offset {offset}");
        }
    }

    private static async Task<long> CountToEndAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            int n;
            while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += n;
            }

            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
