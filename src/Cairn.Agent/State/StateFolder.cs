namespace Cairn.Agent.State;

/// <summary>
/// The agent's state folder: <c>agent.json</c> (identity and token), <c>password</c>, <c>schedule.json</c> (the last
/// slot each plan ran for) and <c>runs/</c> (the journal). Created 0700: everything in it is the agent's secret.
/// </summary>
public sealed class StateFolder
{
    public StateFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string IdentityFile => System.IO.Path.Combine(Path, "agent.json");

    public string PasswordFile => System.IO.Path.Combine(Path, "password");

    public string ScheduleFile => System.IO.Path.Combine(Path, "schedule.json");

    /// <summary>The plans of the last sync, so schedules keep running while Space is unreachable.</summary>
    public string PlansFile => System.IO.Path.Combine(Path, "plans.json");

    public string RunsFolder => System.IO.Path.Combine(Path, "runs");

    /// <summary><c>/var/lib/cairn-agent</c> for root, else <c>$XDG_STATE_HOME/cairn-agent</c> (<c>~/.local/state</c> by default).</summary>
    public static string DefaultPath(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (Environment.UserName == "root" || environment("USER") == "root")
        {
            return "/var/lib/cairn-agent";
        }

        var stateHome = environment("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(stateHome))
        {
            stateHome = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return System.IO.Path.Combine(stateHome, "cairn-agent");
    }

    public void Create()
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(Path, OwnerOnly);
        Directory.CreateDirectory(RunsFolder, OwnerOnly);
    }
}
