using System.Net;
using Microsoft.Extensions.Configuration;

namespace Cairn.Space.Hosting;

/// <summary>
/// Where Space sits on the network: which proxies' forwarded headers are believed (<c>Space:KnownProxies</c>, IPs or
/// CIDRs, none by default), which Host headers may shape the URLs handed out (<c>Space:AllowedHosts</c>, used only
/// without <c>Space:PublicUrl</c>), and who may read <c>/metrics</c>, <c>/scalar</c> and <c>/openapi</c>
/// (<c>Space:RestrictServiceEndpoints</c>, on by default in Production, and <c>Space:ServiceNetworks</c>).
/// </summary>
public sealed record HostingSettings
{
    public IReadOnlyList<IPNetwork> KnownProxies { get; init; } = [];

    /// <summary>Lower-case <c>host</c> or <c>host:port</c> entries.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    public bool RestrictServiceEndpoints { get; init; }

    public IReadOnlyList<IPNetwork> ServiceNetworks { get; init; } = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public static HostingSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var section = configuration.GetSection("Space");
        var networks = ListOf(section.GetSection("ServiceNetworks"));
        return new HostingSettings
        {
            KnownProxies = ListOf(section.GetSection("KnownProxies")).Select(p => Network(p, "Space:KnownProxies")).ToArray(),
            AllowedHosts = ListOf(section.GetSection("AllowedHosts")).Select(h => h.ToLowerInvariant()).ToArray(),
            RestrictServiceEndpoints = section.GetValue("RestrictServiceEndpoints", environment.IsProduction()),
            ServiceNetworks = networks.Count == 0
                ? new HostingSettings().ServiceNetworks
                : networks.Select(n => Network(n, "Space:ServiceNetworks")).ToArray(),
        };
    }

    public bool IsServiceClient(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return ServiceNetworks.Any(n => n.Contains(plain));
    }

    /// <summary>An array (<c>Space:KnownProxies:0</c>...) or one value with entries separated by commas or spaces.</summary>
    private static List<string> ListOf(IConfigurationSection section)
    {
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return values.Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
    }

    private static IPNetwork Network(string text, string key)
    {
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            return new IPNetwork(plain, plain.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new InvalidOperationException($"{key}: '{text}' is neither an IP address nor a CIDR network");
    }
}
