using System.Diagnostics;
using Cairn.Agent.State;

namespace Cairn.Agent.Running;

/// <summary>The backup password, read at each run from where enrollment said: the owner's file or command, or the state folder's <c>password</c>.</summary>
public static class PasswordSource
{
    public static string Read(AgentIdentity identity, StateFolder state)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(state);
        if (identity.PasswordCommand is { } command)
        {
            return RunCommand(command);
        }

        var file = identity.PasswordFile ?? state.PasswordFile;
        try
        {
            return FirstLine(File.ReadAllText(file));
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"cannot read the backup password from {file}: {e.Message}", e);
        }
    }

    public static string FirstLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    public static string RunCommand(string command)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"password command \"{command}\" could not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? FirstLine(output)
            : throw new InvalidOperationException($"password command failed with exit code {process.ExitCode}");
    }
}
