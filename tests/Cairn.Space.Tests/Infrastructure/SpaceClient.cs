using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cairn.Space.Apis;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>An account signed in to a test Space, speaking the JSON API the way clients do.</summary>
public sealed class SpaceClient
{
    private SpaceClient(SpaceFactory factory, HttpClient api, string email)
    {
        Factory = factory;
        Api = api;
        Email = email;
    }

    public SpaceFactory Factory { get; }
    public HttpClient Api { get; }
    public string Email { get; }

    public const string Password = "correct horse battery";

    public static async Task<SpaceClient> SignUpAsync(SpaceFactory factory, string? email = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.org";
        var anonymous = factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/accounts", new { email, password = Password })).EnsureSuccessStatusCode();
        return await SignInAsync(factory, email, Password);
    }

    public static async Task<SpaceClient> SignInAsync(SpaceFactory factory, string email, string password)
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new SpaceClient(factory, client, email);
    }

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
    public HttpClient Repository(MintedCredentialResponse credential) => Repository(Factory, credential.Username, credential.Secret);

    public static HttpClient Repository(SpaceFactory factory, string username, string secret)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
        return client;
    }
}
