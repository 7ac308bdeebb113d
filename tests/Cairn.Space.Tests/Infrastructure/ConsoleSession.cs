using System.Net;
using System.Text.RegularExpressions;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// The console through plain HTTP, as a browser would use it: cookies kept by hand (so a test can keep a copy of
/// one), form tokens read from the page, redirects not followed.
/// </summary>
public sealed partial class ConsoleSession(HttpClient client)
{
    public Dictionary<string, string> Cookies { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Extra headers for every request (a test posing as a proxy).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> SetCookies { get; } = [];

    public static ConsoleSession For(SpaceFactory space)
        => new(space.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

    public static ConsoleSession Over(Uri address)
        => new(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address });

    public ConsoleSession WithCookies(Dictionary<string, string> cookies)
    {
        Cookies = new Dictionary<string, string>(cookies, StringComparer.Ordinal);
        return this;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>Posts a page's form: its antiforgery token and handler name from <paramref name="page"/>'s HTML, plus the fields given.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, string page, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = TokenPattern().Match(page);
        token.Success.Should().BeTrue("the page carries an antiforgery token");
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)),
            new("_handler", handler),
        };
        form.AddRange(fields);
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var page = await (await GetAsync("/signin")).Content.ReadAsStringAsync();
        return await PostFormAsync("/signin", page, "signin", [new("Form.Email", email), new("Form.Password", password)]);
    }

    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var page = await (await GetAsync("/usage")).Content.ReadAsStringAsync();
        return await PostFormAsync("/signout", page, "", []);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                SetCookies.Add(setCookie);
                var pair = setCookie.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..equals], pair[(equals + 1)..]);
                if (value.Length == 0 || setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }

        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
