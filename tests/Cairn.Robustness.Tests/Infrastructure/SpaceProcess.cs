using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Usage;
using Cairn.Testing.Servers;
namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>
/// Cairn Space as a real process (<c>dotnet Cairn.Space.dll</c> from the build), on its own port and data folder
/// with SQLite: what an operator runs, so that killing it is a real crash and starting it again a real restart.
/// </summary>
public sealed class SpaceProcess : IAsyncDisposable
{
    public const string OperatorEmail = "operator@robustness.example";
    public const string OperatorPassword = "robustness operator passphrase 7";

    private readonly string _dll;
    private RunningProgram? _program;

    public SpaceProcess(string dataPath)
    {
        DataPath = dataPath;
        Port = FreePort.Next();
        _dll = FindSpaceDll();
    }

    public string DataPath { get; }

    public string RepositoriesPath => Path.Combine(DataPath, "repos");

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public async Task StartAsync()
    {
        // --urls: the command line outranks the Urls of appsettings.json.
        _program = ScenarioPrograms.Start("dotnet", [_dll, "--urls", BaseUri.ToString().TrimEnd('/')], new Dictionary<string, string>
        {
            ["CAIRN_SPACE_DATA"] = DataPath,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["CAIRN_SPACE_ADMIN_EMAIL"] = OperatorEmail,
            ["CAIRN_SPACE_ADMIN_PASSWORD"] = OperatorPassword,
            ["Space__PublicUrl"] = BaseUri.ToString().TrimEnd('/'),
            // The scan runs when the test asks (admin reconcile), so what it corrects is known.
            ["Space__UsageMonitorEnabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        }, workingDirectory: Path.GetDirectoryName(_dll));
        await FreePort.WaitListeningAsync(Port, () => _program.HasExited, "Cairn Space");
    }

    /// <summary>SIGKILL: Space gets no chance to finish a request, flush a file or close the database.</summary>
    public async Task KillAsync()
    {
        if (_program is null)
        {
            return;
        }

        _program.KillHard();
        await _program.WaitAsync(TimeSpan.FromSeconds(30));
        _program.Dispose();
        _program = null;
    }

    public HttpClient Client() => new() { BaseAddress = BaseUri, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Signs up (or, for the operator, signs in) and returns a client carrying the account's bearer token.</summary>
    public async Task<HttpClient> SignedInAsync(string email, string password, bool signUp)
    {
        var client = Client();
        if (signUp)
        {
            (await client.PostAsJsonAsync("/api/v1/accounts", new { email, password })).EnsureSuccessStatusCode();
        }

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private static string FindSpaceDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(ScenarioPrograms.RepositoryRoot(), "src", "Cairn.Space", "bin", configuration, "net10.0", "Cairn.Space.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first");
    }
}
