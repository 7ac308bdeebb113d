using System.Text.RegularExpressions;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// The server an <c>ssh</c> provider restores onto, as its catalog entry names it: where to connect, as whom, the
/// folder restores land in (each instance gets a subfolder) and the host key Space must find there (a
/// <c>known_hosts</c> line or just its key type and key, as in <c>/etc/ssh/ssh_host_ed25519_key.pub</c>).
/// </summary>
public sealed partial record SshTarget(string Host, int Port, string User, string TargetFolder, string HostKey)
{
    public const int DefaultPort = 22;

    private static readonly HashSet<string> KeyTypes = new(StringComparer.Ordinal)
    {
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    };

    /// <summary>The port, 22 when the catalog leaves it out.</summary>
    public int EffectivePort => Port == 0 ? DefaultPort : Port;

    /// <summary>The host key as <c>type base64</c>, without the host names of a known_hosts line or a comment.</summary>
    public string HostKeyTypeAndKey
    {
        get
        {
            var words = HostKey.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var at = Array.FindIndex(words, KeyTypes.Contains);
            return $"{words[at]} {words[at + 1]}";
        }
    }

    /// <summary>Every problem of this target, each a sentence naming the field; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host) || !HostName().IsMatch(Host))
        {
            problems.Add($"ssh.host '{Host}' is not a host name or IP address");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"ssh.port {Port} is not a TCP port (1-65535; leave it out for 22)");
        }

        if (!IsUserName(User))
        {
            problems.Add($"ssh.user '{User}' is not a POSIX user name (letters, digits, '_', '-', '.'; not starting with '-')");
        }

        if (!IsFolder(TargetFolder))
        {
            problems.Add($"ssh.targetFolder '{TargetFolder}' must be an absolute path below / of letters, digits, '.', '_', '-' and '/' (no '..')");
        }

        if (!IsHostKey(HostKey))
        {
            problems.Add("ssh.hostKey must be the server's public host key: 'ssh-ed25519 AAAA...' (the content of /etc/ssh/ssh_host_ed25519_key.pub) or a known_hosts line");
        }

        return problems;
    }

    /// <summary>A POSIX user name (also what a cloud-api provider's servers are made with).</summary>
    internal static bool IsUserName(string? user) => !string.IsNullOrWhiteSpace(user) && UserName().IsMatch(user);

    /// <summary>An absolute folder below / of plain characters, with no '.' or '..' part.</summary>
    internal static bool IsFolder(string? folder)
        => !string.IsNullOrWhiteSpace(folder) && FolderPath().IsMatch(folder) && !folder.Split('/').Any(p => p is ".." or ".") && folder.TrimEnd('/').Length > 0;

    /// <summary>A public host key: <c>type base64</c>, optionally after the host names of a known_hosts line.</summary>
    internal static bool IsHostKey(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal))
        {
            return false;
        }

        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var at = Array.FindIndex(words, KeyTypes.Contains);
        if (at < 0 || at > 1 || at + 1 >= words.Length)
        {
            return false;
        }

        var key = new byte[words[at + 1].Length];
        return Convert.TryFromBase64String(words[at + 1], key, out var length) && length > 16;
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})$")]
    private static partial Regex HostName();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$")]
    private static partial Regex UserName();

    [GeneratedRegex("^/[A-Za-z0-9._/-]{0,1000}$")]
    private static partial Regex FolderPath();
}
