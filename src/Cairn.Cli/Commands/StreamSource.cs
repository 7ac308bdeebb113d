using System.ComponentModel;
using System.Diagnostics;

namespace Cairn.Cli.Commands;

/// <summary>What backup --stdin reads: standard input, or the standard output of a command (--stdin-from-command).</summary>
internal sealed class StreamSource : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly string _commandLine;

    private StreamSource(Stream content, Process? process, string commandLine)
    {
        Content = content;
        _process = process;
        _commandLine = commandLine;
    }

    public Stream Content { get; }

    /// <param name="fromCommand">Run <paramref name="command"/> (program and arguments) and read its output.</param>
    public static StreamSource Open(bool fromCommand, string[] command)
    {
        if (!fromCommand)
        {
            return new StreamSource(Console.OpenStandardInput(), null, "");
        }

        if (command.Length == 0)
        {
            throw new UsageException("--stdin-from-command needs a command: give it after --, e.g. backup --stdin-from-command -- pg_dump mydb");
        }

        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', command);
        try
        {
            var process = Process.Start(start) ?? throw new UsageException($"command \"{commandLine}\" did not start");
            return new StreamSource(process.StandardOutput.BaseStream, process, commandLine);
        }
        catch (Win32Exception e)
        {
            throw new UsageException($"cannot start command \"{commandLine}\": {e.Message}");
        }
    }

    /// <summary>After the output ended: a command that failed means no snapshot (its output may be cut short).</summary>
    public async Task CheckExitAsync(CancellationToken cancellationToken)
    {
        if (_process is null)
        {
            return;
        }

        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (_process.ExitCode != 0)
        {
            throw new SourceCommandFailedException($"command \"{_commandLine}\" exited with code {_process.ExitCode}; no snapshot saved");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                // The backup ended early (an error, Ctrl-C): the command is not left running behind it.
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}

/// <summary>The command whose output backup --stdin-from-command read exited with an error.</summary>
internal sealed class SourceCommandFailedException(string message) : IOException(message);
