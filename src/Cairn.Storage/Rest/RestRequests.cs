using System.Net.Http.Headers;

namespace Cairn.Storage;

/// <summary>Builds the requests of the REST protocol, with the location's credentials.</summary>
internal static class RestRequests
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptV2 = new(RestHttp.V2MediaType);

    /// <summary>A listing request, asking for version 2 (names with sizes).</summary>
    public static HttpRequestMessage CreateListing(Uri uri, RestLocation location)
    {
        var request = Create(HttpMethod.Get, uri, location, null);
        request.Headers.Accept.Add(AcceptV2);
        return request;
    }

    public static HttpRequestMessage Create(HttpMethod method, Uri uri, RestLocation location, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = location.Authorization;
        return request;
    }
}
