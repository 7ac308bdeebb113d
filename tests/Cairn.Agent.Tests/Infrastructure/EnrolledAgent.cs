using System.Text.Json.Nodes;
using Cairn.Agent.Running;
using Cairn.Agent.State;
using Cairn.Repository;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests.Infrastructure;

/// <summary>An agent enrolled with a <see cref="FakeSpace"/>, whose repositories are local folders, run on the real clock.</summary>
internal sealed class EnrolledAgent : IAsyncDisposable
{
    public const string Password = "backup-password-that-stays-home-7f3a";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private CancellationTokenSource? _stop;
    private Task? _running;

    private EnrolledAgent(Scratch folder, FakeSpace space)
    {
        Folder = folder;
        Space = space;
        State = new StateFolder(folder.Combine("state"));
        Sources = folder.Combine("sources");
        Directory.CreateDirectory(Sources);
    }

    public Scratch Folder { get; }

    public FakeSpace Space { get; }

    public StateFolder State { get; }

    public string Sources { get; }

    public string RepositoryOf(string task) => Folder.Combine("repos", task);

    public List<string> Log { get; } = [];

    public AgentLoop? Loop { get; private set; }

    public static async Task<EnrolledAgent> EnrollAsync(Scratch folder, FakeSpace space)
    {
        var agent = new EnrolledAgent(folder, space);
        using var http = new HttpClient();
        await Enrollment.EnrollAsync(agent.State, space.Url, FakeSpace.Code, new PasswordChoice(Typed: Password), http, TestContext.Current.CancellationToken);
        return agent;
    }

    public void Start(TimeProvider? time = null)
    {
        _stop = new CancellationTokenSource();
        var options = new RepositoryOptions { Kdf = KdfParameters.Fast };
        Loop = AgentHost.Create(State, _http, options, time ?? TimeProvider.System, line =>
        {
            lock (Log)
            {
                Log.Add(line);
            }
        }, new LocalLocator(Folder.Combine("repos")));
        _running = Loop.RunAsync(_stop.Token);
    }

    /// <summary>The loop's own end (for a loop that stops by itself).</summary>
    public Task Running => _running ?? Task.CompletedTask;

    /// <summary>Stops the loop as SIGTERM does and waits for it to end.</summary>
    public async Task StopAsync()
    {
        if (_stop is null || _running is null)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (Protocol.AgentRevokedException)
        {
            // The test that revokes the agent has looked at this already.
        }

        _stop.Dispose();
        _stop = null;
        _running = null;
    }

    public JsonObject Plan(string id, string task, string? preCommand = null, string retention = "null") => JsonNode.Parse($$"""
        {"id":"{{id}}","name":"plan {{task}}","task":"{{task}}","paths":["{{Sources}}"],"excludes":["*.tmp"],"oneFileSystem":false,
         "preCommand":{{(preCommand is null ? "null" : "\"" + preCommand + "\"")}},"postCommand":null,"hookTimeoutSeconds":300,"hookFailureAborts":true,
         "schedule":{"kind":"daily","time":"02:30"},"timeZone":"Europe/Berlin","window":null,"uploadLimitKiBps":null,
         "retention":{{retention}},"prune":null,"paused":false,"revision":1}
        """)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
    }

    private sealed class LocalLocator(string root) : IRepositoryLocator
    {
        public string LocationOf(string task) => "local:" + Path.Combine(root, task);
    }
}
