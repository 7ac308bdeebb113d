using System.Text;

namespace Cairn.Space.CloudRestore.CloudApi;

/// <summary>
/// The cloud-init user data a <c>cloud-api</c> server boots with: the target user (no password, only Space's public
/// key), and the target folder owned by it. It holds nothing secret: the provider and anyone on the server can read
/// user data, so the backup password never goes here (it travels only inside the ssh session).
/// </summary>
public static class CloudInit
{
    public static string UserData(string user, string targetFolder, string publicKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        // The user and folder are validated at catalog load (plain characters); the key is one line from ssh-keygen.
        return new StringBuilder()
            .Append("#cloud-config\n")
            .Append("users:\n")
            .Append("  - name: ").Append(user).Append('\n')
            .Append("    shell: /bin/sh\n")
            .Append("    lock_passwd: true\n")
            .Append("    ssh_authorized_keys:\n")
            .Append("      - \"").Append(publicKey.Trim()).Append("\"\n")
            .Append("runcmd:\n")
            .Append("  - [install, -d, -m, \"0755\", -o, ").Append(user).Append(", -g, ").Append(user).Append(", ").Append(targetFolder).Append("]\n")
            .ToString();
    }
}
