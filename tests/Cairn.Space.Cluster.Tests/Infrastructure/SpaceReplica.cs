using Cairn.Testing.Processes;

namespace Cairn.Space.Cluster.Tests.Infrastructure;

/// <summary>
/// One Space replica as a real process: the built Cairn.Space.dll under <c>dotnet exec</c>, on a loopback port of its
/// own, with its own replica id and data folder, configured through environment variables as an operator would.
/// It can be killed (SIGKILL) and started again on the same port and folder.
/// </summary>
public sealed class SpaceReplica : IAsyncDisposable
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(15);

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logFolder;
    private readonly List<string> _earlierLives = [];
    private int _starts;

    public SpaceReplica(string id, int port, string dataPath, string logFolder, IReadOnlyDictionary<string, string> environment)
    {
        Id = id;
        Port = port;
        DataPath = dataPath;
        _logFolder = logFolder;
        _environment = environment;
        Directory.CreateDirectory(dataPath);
    }

    public string Id { get; }
    public int Port { get; }
    public string DataPath { get; }
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>The running process; null before the first start.</summary>
    public RunningProgram? Process { get; private set; }

    public bool IsRunning => Process is { HasExited: false };

    /// <summary>Everything this replica wrote in all its lives, for failure messages.</summary>
    public string Output => string.Join("\n--- restarted ---\n", [.. _earlierLives, Process?.Output ?? ""]);

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"replica {Id} is already running");
        }

        if (Process is not null)
        {
            _earlierLives.Add(Process.Output);
            await Process.DisposeAsync();
        }

        _starts++;
        var environment = new Dictionary<string, string?>(_environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)))
        {
            ["Space__DataPath"] = DataPath,
            // A new id per life: a restarted process is another replica, and must not take its dead self's claims for its own.
            ["Space__Cluster__ReplicaId"] = $"{Id}.{_starts}",
        };
        var start = ProgramStart.Of("dotnet", "exec", Path.Combine(AppContext.BaseDirectory, "Cairn.Space.dll"),
            "--urls", Address.ToString().TrimEnd('/'), "--contentRoot", RepositoryRoot.SpaceProject) with
        {
            WorkingDirectory = RepositoryRoot.SpaceProject,
            Environment = environment,
        };
        Process = RunningProgram.Start(start with { LogPath = Path.Combine(_logFolder, $"{Id}-{_starts}.log"), Timeout = s_lifetime });
    }

    /// <summary>Waits until the replica answers <c>/healthz/ready</c> (it has migrated and reaches its store).</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (Process is null || Process.HasExited)
            {
                throw new InvalidOperationException($"replica {Id} exited before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/healthz/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"replica {Id} was not ready within the time-out:\n{Output}");
    }

    /// <summary>SIGKILL, as a machine that loses power: no graceful shutdown, requests cut off mid-body.</summary>
    public Task KillAsync() => Process?.KillAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
    }
}

/// <summary>Where the checkout is (the folder holding Cairn.slnx), for Space's content root and the deploy/ files.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string SpaceProject => System.IO.Path.Combine(Path, "src", "Cairn.Space");

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Cairn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }
}
