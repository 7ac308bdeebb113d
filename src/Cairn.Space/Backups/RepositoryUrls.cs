using System.Net.Sockets;
using Cairn.Space.Hosting;
namespace Cairn.Space.Backups;

/// <summary>
/// restic repository URLs of tasks (<c>rest:http://user:secret@host:port/repo/{instance}/{task}/</c>), from
/// <c>Space:PublicUrl</c>; without it, from the request's Host header only when <c>Space:AllowedHosts</c> names it,
/// else from the local address the connection arrived at. A forged Host header never shapes a URL handed out, so it
/// cannot send someone's backup credentials to another server.
/// </summary>
public sealed class RepositoryUrls(SpaceSettings settings, HostingSettings hosting, IHttpContextAccessor accessor)
{
    public string BaseUrl
    {
        get
        {
            if (settings.PublicUrl is { } configured)
            {
                return configured;
            }

            var context = accessor.HttpContext ?? throw new InvalidOperationException("Space:PublicUrl is needed outside a request");
            var request = context.Request;
            if (request.Host.HasValue && hosting.AllowedHosts.Contains(request.Host.Value.ToLowerInvariant(), StringComparer.Ordinal))
            {
                return $"{request.Scheme}://{request.Host.Value.ToLowerInvariant()}";
            }

            return $"{request.Scheme}://{LocalAuthority(context.Connection)}";
        }
    }

    public string ForTask(string instance, string task, string? username = null, string? secret = null)
    {
        var uri = new Uri(BaseUrl);
        var userInfo = username is null ? "" : $"{Uri.EscapeDataString(username)}:{Uri.EscapeDataString(secret ?? "")}@";
        return $"rest:{uri.Scheme}://{userInfo}{uri.Authority}/repo/{instance}/{task}/";
    }

    // The address this server was reached at, as the operating system tells it; in-memory test hosts have none.
    private static string LocalAuthority(ConnectionInfo connection)
    {
        if (connection.LocalIpAddress is not { } address)
        {
            return "localhost";
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var host = plain.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{plain}]" : plain.ToString();
        return $"{host}:{connection.LocalPort}";
    }
}
