using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>Content-addressed test objects and REST calls on them.</summary>
public static class Objects
{
    public static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    public static string NameOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Path(string instance, string task, string type, string? name = null)
        => name is null ? $"/repo/{instance}/{task}/{type}" : $"/repo/{instance}/{task}/{type}/{name}";

    public static Task<HttpResponseMessage> CreateAsync(this HttpClient repo, string instance, string task)
        => repo.PostAsync($"/repo/{instance}/{task}/?create=true", null);

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient repo, string path, byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return repo.PostAsync(path, body);
    }

    /// <summary>Uploads a content-addressed object and returns its name.</summary>
    public static async Task<string> UploadObjectAsync(this HttpClient repo, string instance, string task, string type, byte[] content)
    {
        var name = NameOf(content);
        var response = await repo.UploadAsync(Path(instance, task, type, name), content);
        response.EnsureSuccessStatusCode();
        return name;
    }

    public static Task<HttpResponseMessage> HeadAsync(this HttpClient client, string path)
        => client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

    public static Task<HttpResponseMessage> GetRangeAsync(this HttpClient client, string path, string range)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Range", range);
        return client.SendAsync(request);
    }

    /// <summary>Splits a <c>rest:http://user:secret@host/path/</c> URL.</summary>
    public static (string Username, string Secret, string Path) ParseRestUrl(string url)
    {
        var uri = new Uri(url["rest:".Length..]);
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return (Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]), uri.AbsolutePath);
    }
}
