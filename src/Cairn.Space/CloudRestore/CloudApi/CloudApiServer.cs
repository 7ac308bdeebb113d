namespace Cairn.Space.CloudRestore.CloudApi;

/// <summary>
/// A server as the provider's API describes it (snake_case JSON, as Hetzner Cloud and DigitalOcean write it):
/// <c>status</c> is <c>running</c> once it boots; <c>host_keys</c> are its ssh host keys, which Space accepts as the
/// server's identity because they come from the provider over an authenticated HTTPS API.
/// </summary>
public sealed record CloudApiServer(long Id, string Name, string Status, CloudApiPublicNet? PublicNet, IReadOnlyList<string>? HostKeys)
{
    public const string Running = "running";

    public string? Ipv4 => PublicNet?.Ipv4?.Ip;
}

public sealed record CloudApiPublicNet(CloudApiAddress? Ipv4);

public sealed record CloudApiAddress(string Ip);

/// <summary>The body of <c>POST servers</c>.</summary>
public sealed record CloudApiCreateServer(string Name, string Region, string ServerType, string Image, IReadOnlyList<string> SshKeys, string UserData);

public sealed record CloudApiServerResponse(CloudApiServer Server);

public sealed record CloudApiServersResponse(IReadOnlyList<CloudApiServer> Servers);

/// <summary>An API error: <c>{"error": {"code": "...", "message": "..."}}</c>.</summary>
public sealed record CloudApiErrorResponse(CloudApiError? Error);

public sealed record CloudApiError(string? Code, string? Message);
