using System.Net;
using System.Net.Sockets;

namespace Cairn.Space.Hosting;

/// <summary>
/// The key per-client limits count under: the remote address (after forwarded headers from known proxies), an IPv6
/// address by its /64, as one host is usually handed a whole /64 and could otherwise take a new address per guess.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PartitionOf(context.Connection.RemoteIpAddress);
    }

    public static string PartitionOf(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
