using System.Diagnostics;
using System.Text;
using Cairn.Space.CloudRestore.Worker;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// Debian's OpenSSH client (<c>/usr/bin/ssh</c>) run as a process against one ssh provider's server, with nothing of
/// this host's ssh set-up: no config file, no agent, no forwarding, only this provider's key and host key. Both are
/// written to a 0700 temporary folder (the key 0600) that lives as long as this session and is deleted with it.
/// The host key must match (<c>StrictHostKeyChecking=yes</c>), nothing asks a question (<c>BatchMode=yes</c>).
/// </summary>
internal sealed class SshSession : IDisposable
{
    public const string SshPath = "/usr/bin/ssh";

    /// <summary>known_hosts names the host by this alias, so an IP address, a name and a port all look the same.</summary>
    private const string HostAlias = "cairn-ssh-target";

    /// <summary>How long a short command (mkdir, an upload, a wipe) may take.</summary>
    private const int CommandMinutes = 10;

    private readonly SshTarget _target;
    private readonly PrivateFolder _folder;
    private readonly string _keyFile;
    private readonly string _knownHosts;

    public SshSession(SshTarget target, string privateKey)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(privateKey);
        if (!File.Exists(SshPath))
        {
            throw new CloudRestoreFailedException($"{SshPath} is missing: install Debian's openssh-client to use ssh providers");
        }

        _target = target;
        _folder = PrivateFolder.Create("cairn-ssh-");
        _keyFile = _folder.WriteSecret("id_ed25519", privateKey.EndsWith('\n') ? privateKey : privateKey + "\n");
        _knownHosts = _folder.WriteSecret("known_hosts", $"{HostAlias} {target.HostKeyTypeAndKey}\n");
    }

    /// <summary>Where the session connects, for messages and the instance's disk name.</summary>
    public string Destination => $"{_target.User}@{_target.Host}:{_target.EffectivePort}";

    /// <summary>The ssh process that runs <paramref name="remoteCommand"/> (a POSIX shell command line) with all three streams redirected.</summary>
    public ProcessStartInfo Command(string remoteCommand)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteCommand);
        var start = new ProcessStartInfo(SshPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder.Path,
        };
        string[] options =
        [
            "-F", "/dev/null", "-T", "-a", "-x", "-k",
            "-i", _keyFile,
            "-p", _target.EffectivePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-l", _target.User,
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", $"UserKnownHostsFile={_knownHosts}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", $"HostKeyAlias={HostAlias}",
            "-o", "UpdateHostKeys=no",
            "-o", "IdentitiesOnly=yes",
            "-o", "IdentityAgent=none",
            "-o", "ForwardAgent=no",
            "-o", "ForwardX11=no",
            "-o", "ClearAllForwardings=yes",
            "-o", "PermitLocalCommand=no",
            "-o", "PreferredAuthentications=publickey",
            "-o", "PasswordAuthentication=no",
            "-o", "KbdInteractiveAuthentication=no",
            "-o", "ConnectTimeout=15",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=4",
            "-o", "LogLevel=ERROR",
            "--", _target.Host, remoteCommand,
        ];
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        // Nothing of Space's environment reaches ssh (and so nothing can be sent on with SendEnv).
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["HOME"] = _folder.Path;
        start.Environment["LANG"] = "C.UTF-8";
        return start;
    }

    /// <summary>Runs a short remote command, feeding it <paramref name="input"/>; throws with its error output when it fails.</summary>
    public async Task<string> RunAsync(string remoteCommand, Stream? input, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(CommandMinutes));
        using var process = Process.Start(Command(remoteCommand)) ?? throw new CloudRestoreFailedException("ssh did not start");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            if (input is not null)
            {
                await input.CopyToAsync(process.StandardInput.BaseStream, timeout.Token).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            var (stdout, stderr) = (await output.ConfigureAwait(false), await error.ConfigureAwait(false));
            if (process.ExitCode != 0)
            {
                throw new CloudRestoreFailedException(Failure(process.ExitCode, stderr));
            }

            return stdout;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudRestoreFailedException($"ssh to {Destination} did not finish within {CommandMinutes} minutes");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A failure as a person can act on it: ssh's exit code 255 is its own error (connection, host key, key refused).</summary>
    private string Failure(int exitCode, string stderr)
    {
        var said = new StringBuilder(stderr.Trim());
        if (said.Length > 1000)
        {
            said.Length = 1000;
        }

        return exitCode == 255
            ? $"ssh to {Destination} failed: {said} (is the host reachable, its host key the catalog's, and Space's public key in the user's authorized_keys?)"
            : $"a command on {Destination} failed (exit code {exitCode}): {said}";
    }
}
