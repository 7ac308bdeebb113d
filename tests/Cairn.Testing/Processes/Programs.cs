namespace Cairn.Testing.Processes;

/// <summary>Runs the real programs tests need (restic, rclone, borg, cairn, sshd, ...), always within a time-out.</summary>
public static class Programs
{
    public static async Task<ProgramResult> RunAsync(ProgramStart start, CancellationToken cancellationToken = default)
    {
        var program = RunningProgram.Start(start);
        await using (program.ConfigureAwait(false))
        {
            return await program.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task<ProgramResult> RunAsync(string file, params IEnumerable<string> arguments) => RunAsync(ProgramStart.Of(file, arguments));

    /// <summary>Starts a server or a long run (sshd, tcpdump, the agent) that logs to <paramref name="logPath"/> and is killed after <paramref name="timeout"/>.</summary>
    public static RunningProgram StartLogged(string logPath, TimeSpan timeout, string file, params IEnumerable<string> arguments)
        => RunningProgram.Start(ProgramStart.Of(file, arguments) with { LogPath = logPath, Timeout = timeout });

    /// <summary>The checkout's root folder (where Cairn.slnx is), found above the test binary.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cairn.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Cairn.slnx not found above " + AppContext.BaseDirectory);
    }
}
