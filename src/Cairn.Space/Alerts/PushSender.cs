using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Cairn.Space.Alerts;

/// <summary>
/// Sends an alert to a push service. ntfy: the message as plain text POSTed to the topic URL, with <c>Title</c>,
/// <c>Priority</c> (4 firing, 3 resolved) and <c>Tags</c> headers, a token as <c>Authorization: Bearer</c>. Gotify:
/// <c>{"title","message","priority"}</c> POSTed to the server's <c>/message</c> URL with the application token in
/// <c>X-Gotify-Key</c>.
/// </summary>
public sealed class PushSender(IHttpClientFactory clients)
{
    public async Task SendAsync(string url, string flavor, string? token, AlertMessage alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var firing = alert.State == AlertStates.Firing;
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (flavor == ChannelKinds.Gotify)
        {
            request.Content = JsonContent.Create(new { title = alert.Title, message = alert.Message, priority = firing ? 8 : 4 });
            if (token is not null)
            {
                request.Headers.Add("X-Gotify-Key", token);
            }
        }
        else
        {
            request.Content = new StringContent(alert.Message, Encoding.UTF8, "text/plain");
            // Header values are ASCII: a title with other letters is sent as ntfy's RFC 2047 form.
            request.Headers.Add("Title", Ascii(alert.Title));
            request.Headers.Add("Priority", firing ? "4" : "3");
            request.Headers.Add("Tags", firing ? "warning" : "white_check_mark");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        await AlertHttp.SendAsync(clients, request, cancellationToken).ConfigureAwait(false);
    }

    private static string Ascii(string text)
        => text.All(c => c is >= ' ' and <= '~') ? text : "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
}
