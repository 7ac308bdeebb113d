using System.Diagnostics;
using System.Runtime.InteropServices;
using Cairn.Restore.Worker;

namespace Cairn.Space.CloudRestore.Worker;

/// <summary>
/// The command line of a restore worker: Space's own assembly in its hidden <see cref="RestoreWorker.Verb"/> mode,
/// found from this assembly (so <c>dotnet run</c>, a published Space and a test host all find it with no set-up),
/// behind <c>setpriv</c> when the restore user is another user. The working directory is the disk: it is entered
/// before privileges are dropped, so the child needs no access to the folders above it. The environment is
/// replaced by a minimal one, and the password is in neither the arguments nor the environment.
/// </summary>
public static class RestoreWorkerCommand
{
    private static readonly string[] SetprivPaths = ["/usr/bin/setpriv", "/bin/setpriv"];

    public static ProcessStartInfo Build(string disk, RestoreAccount account)
    {
        ArgumentException.ThrowIfNullOrEmpty(disk);
        ArgumentNullException.ThrowIfNull(account);
        var (host, hostArguments) = Entry();
        var start = new ProcessStartInfo
        {
            WorkingDirectory = disk,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (account.DropsPrivileges)
        {
            start.FileName = SetprivPaths.FirstOrDefault(File.Exists)
                ?? throw new CloudRestoreFailedException("setpriv (util-linux) is needed to run restores as an unprivileged user; install util-linux");
            foreach (var argument in (string[])[$"--reuid={account.Uid}", $"--regid={account.Gid}", "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--"])
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(host);
        }
        else
        {
            start.FileName = host;
        }

        foreach (var argument in hostArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = "/nonexistent";
        start.Environment["LANG"] = "C.UTF-8";
        // No diagnostics IPC socket for a process that parses a tenant's bytes.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        if (!string.IsNullOrEmpty(dotnetRoot))
        {
            start.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        return start;
    }

    /// <summary>The program and arguments that run this assembly's worker mode.</summary>
    private static (string Host, string[] Arguments) Entry()
    {
        // Space's own assembly (its Program.cs runs the worker); RestoreWorker itself lives in Cairn.Restore.
        var assembly = typeof(RestoreWorkerCommand).Assembly.Location;
        if (string.IsNullOrEmpty(assembly))
        {
            // A single-file Space: the executable is the assembly.
            return (Environment.ProcessPath ?? throw new CloudRestoreFailedException("cannot find Space's executable to start a restore"), [RestoreWorker.Verb]);
        }

        // The runtime's own folder is {dotnet root}/shared/Microsoft.NETCore.App/{version}/.
        var muxer = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        if (File.Exists(muxer) && File.Exists(Path.ChangeExtension(assembly, ".runtimeconfig.json")))
        {
            return (muxer, ["exec", assembly, RestoreWorker.Verb]);
        }

        var appHost = Path.ChangeExtension(assembly, null);
        return File.Exists(appHost)
            ? (appHost, [RestoreWorker.Verb])
            : throw new CloudRestoreFailedException($"cannot find how to start {assembly} as a restore worker");
    }
}
