using MimeKit;

namespace Cairn.Space.Alerts;

/// <summary>A channel as the owner sends it (<c>POST /api/v1/alerts/channels</c>).</summary>
public sealed record ChannelRequest(string? Kind, string? Name, string? Address, string? Url, string? Flavor, string? Secret, string? Token);

/// <summary>
/// Checks a channel request field by field; the first problem is one <see cref="DomainRuleException"/> naming the
/// field, and nothing is stored. URLs are http or https, without credentials (a token has its own field), so a URL
/// shown back never carries one.
/// </summary>
public static class ChannelValidation
{
    public const int MaxAddressLength = 254;

    public static ChannelDefinition Validate(ChannelRequest? request, AlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (request is null)
        {
            throw new DomainRuleException("a channel is a JSON object with kind, name and address (email) or url (webhook, push)");
        }

        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !ChannelKinds.All.Contains(kind, StringComparer.Ordinal))
        {
            throw new DomainRuleException($"kind: one of {string.Join(", ", ChannelKinds.All)}");
        }

        var name = request.Name?.Trim();
        if (name is { Length: > AlertChannel.MaxNameLength } || (name is not null && name.Any(char.IsControl)))
        {
            throw new DomainRuleException($"name: at most {AlertChannel.MaxNameLength} characters, on one line");
        }

        switch (kind)
        {
            case ChannelKinds.Email:
                if (settings.Smtp is null)
                {
                    throw new DomainRuleException(EmailSender.NotSetUp);
                }

                var address = request.Address?.Trim() ?? "";
                if (address.Length is 0 or > MaxAddressLength || !MailboxAddress.TryParse(address, out var mailbox)
                    || mailbox.Address != address || !address.Contains('@', StringComparison.Ordinal))
                {
                    throw new DomainRuleException("address: an e-mail address such as owner@example.org");
                }

                return new ChannelDefinition(kind, Named(name, $"E-mail to {address}"), address, null, null);
            case ChannelKinds.Webhook:
            {
                var url = Url(request.Url);
                var secret = Secret(request.Secret, "secret");
                return new ChannelDefinition(kind, Named(name, $"Webhook to {url.Host}"), url.AbsoluteUri, null, secret);
            }

            default:
            {
                var flavor = request.Flavor?.Trim().ToLowerInvariant() ?? ChannelKinds.Ntfy;
                if (!ChannelKinds.PushFlavors.Contains(flavor, StringComparer.Ordinal))
                {
                    throw new DomainRuleException($"flavor: one of {string.Join(", ", ChannelKinds.PushFlavors)}");
                }

                var url = Url(request.Url);
                var token = Secret(request.Token, "token");
                return new ChannelDefinition(kind, Named(name, $"{(flavor == ChannelKinds.Gotify ? "Gotify" : "ntfy")} at {url.Host}"),
                    url.AbsoluteUri, flavor, token);
            }
        }
    }

    /// <summary>A URL as the console and the API show it: no query values (they may hold a token).</summary>
    public static string Shown(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var shown = url.GetLeftPart(UriPartial.Path);
        return string.IsNullOrEmpty(url.Query) ? shown : shown + "?…";
    }

    private static Uri Url(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length > AlertChannel.MaxTargetLength
            || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(url.Host))
        {
            throw new DomainRuleException("url: an http:// or https:// address such as https://hooks.example.org/cairn");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw new DomainRuleException("url: a user name or password in the URL is refused; put a token in 'token' (push) or a signing key in 'secret' (webhook)");
        }

        return url;
    }

    private static string? Secret(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length > AlertChannel.MaxSecretLength || text.Any(char.IsControl)
            ? throw new DomainRuleException($"{field}: at most {AlertChannel.MaxSecretLength} characters, on one line")
            : text;
    }

    private static string Named(string? name, string fallback)
        => string.IsNullOrEmpty(name) ? fallback[..Math.Min(fallback.Length, AlertChannel.MaxNameLength)] : name;
}
