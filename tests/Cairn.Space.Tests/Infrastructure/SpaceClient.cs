using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// An account signed in to a test Space, speaking the JSON API the way clients do: an in-process
/// <see cref="SpaceFactory"/>, or any address (a cluster's load balancer, one replica).
/// </summary>
public sealed class SpaceClient
{
    private readonly Func<HttpClient> _newClient;

    private SpaceClient(Func<HttpClient> newClient, HttpClient api, string email)
    {
        _newClient = newClient;
        Api = api;
        Email = email;
    }

    public HttpClient Api { get; }
    public string Email { get; }

    public const string Password = "correct horse battery";

    public static Task<SpaceClient> SignUpAsync(SpaceFactory factory, string? email = null)
        => SignUpAsync(() => factory.CreateClient(), email);

    public static Task<SpaceClient> SignInAsync(SpaceFactory factory, string email, string password)
        => SignInAsync(() => factory.CreateClient(), email, password);

    /// <summary>Signs up at a Space reached over the network (a real process) at <paramref name="address"/>.</summary>
    public static Task<SpaceClient> SignUpAsync(Uri address, string? email = null) => SignUpAsync(Over(address), email);

    public static Task<SpaceClient> SignInAsync(Uri address, string email, string password) => SignInAsync(Over(address), email, password);

    public static async Task<SpaceClient> SignUpAsync(Func<HttpClient> newClient, string? email = null)
    {
        ArgumentNullException.ThrowIfNull(newClient);
        email ??= $"user-{Guid.NewGuid():N}@example.org";
        var anonymous = newClient();
        (await anonymous.PostAsJsonAsync("/api/v1/accounts", new { email, password = Password })).EnsureSuccessStatusCode();
        return await SignInAsync(newClient, email, Password);
    }

    public static async Task<SpaceClient> SignInAsync(Func<HttpClient> newClient, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(newClient);
        var client = newClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new SpaceClient(newClient, client, email);
    }

    /// <summary>The same account's token, sent to another address (one replica of a cluster, asked directly).</summary>
    public SpaceClient At(Uri address)
    {
        var client = Over(address)();
        client.DefaultRequestHeaders.Authorization = Api.DefaultRequestHeaders.Authorization;
        return new SpaceClient(Over(address), client, Email);
    }

    private static Func<HttpClient> Over(Uri address) => () => new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

    public static string NewInstanceName() => $"i{Guid.NewGuid().ToString("N")[..10]}.olares";

    public async Task<string> RegisterInstanceAsync(string? name = null)
    {
        name ??= NewInstanceName();
        (await Api.PostAsJsonAsync("/api/v1/instances", new { name })).EnsureSuccessStatusCode();
        return name;
    }

    public async Task<MintedCredentialResponse> MintAsync(string instance, bool appendOnly = false, string task = "default")
    {
        var response = await Api.PostAsJsonAsync($"/api/v1/instances/{instance}/credentials", new { appendOnly, task });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MintedCredentialResponse>())!;
    }

    public async Task<BackupResponse[]> BackupsAsync()
        => (await Api.GetFromJsonAsync<BackupResponse[]>("/api/v1/backups"))!;

    public async Task<BackupDetailsResponse> BackupAsync(Guid id)
        => (await Api.GetFromJsonAsync<BackupDetailsResponse>($"/api/v1/backups/{id}"))!;

    /// <summary>A client that speaks restic's REST protocol with an instance credential.</summary>
    public HttpClient Repository(MintedCredentialResponse credential) => Repository(_newClient, credential.Username, credential.Secret);

    public static HttpClient Repository(SpaceFactory factory, string username, string secret)
        => Repository(() => factory.CreateClient(), username, secret);

    private static HttpClient Repository(Func<HttpClient> newClient, string username, string secret)
    {
        var client = newClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
        return client;
    }
}
