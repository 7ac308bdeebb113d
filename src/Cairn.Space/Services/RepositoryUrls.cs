namespace Cairn.Space.Services;

/// <summary>
/// restic repository URLs of tasks (<c>rest:http://user:secret@host:port/repo/{instance}/{task}/</c>), from
/// <c>Space:PublicUrl</c> or else from the address the request came to.
/// </summary>
public sealed class RepositoryUrls(SpaceSettings settings, IHttpContextAccessor accessor)
{
    public string BaseUrl
    {
        get
        {
            if (settings.PublicUrl is { } configured)
            {
                return configured;
            }

            var request = accessor.HttpContext?.Request
                          ?? throw new InvalidOperationException("Space:PublicUrl is needed outside a request");
            return $"{request.Scheme}://{request.Host}";
        }
    }

    public string ForTask(string instance, string task, string? username = null, string? secret = null)
    {
        var uri = new Uri(BaseUrl);
        var userInfo = username is null ? "" : $"{Uri.EscapeDataString(username)}:{Uri.EscapeDataString(secret ?? "")}@";
        return $"rest:{uri.Scheme}://{userInfo}{uri.Authority}/repo/{instance}/{task}/";
    }
}
