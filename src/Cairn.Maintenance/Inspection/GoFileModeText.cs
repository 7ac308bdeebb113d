using Cairn.Repository.Format;

namespace Cairn.Maintenance.Inspection;

/// <summary>A node's mode as Go's <c>FileMode.String()</c> prints it and restic shows it: "-rw-r--r--", "drwxr-xr-x", "Lrwxrwxrwx".</summary>
public static class GoFileModeText
{
    private const string TypeLetters = "dalTLDpSugct?";
    private const string Permissions = "rwxrwxrwx";

    /// <summary>Formats a Go file mode as Go's <c>FileMode.String</c> does (<c>drwxr-xr-x</c>), as restic's <c>ls -l</c> shows it.</summary>
    public static string Format(uint mode)
    {
        Span<char> text = stackalloc char[32];
        var length = 0;
        for (var i = 0; i < TypeLetters.Length; i++)
        {
            if ((mode & (1u << (31 - i))) != 0)
            {
                text[length++] = TypeLetters[i];
            }
        }

        if (length == 0)
        {
            text[length++] = '-';
        }

        for (var i = 0; i < 9; i++)
        {
            text[length++] = (mode & (1u << (8 - i))) != 0 ? Permissions[i] : '-';
        }

        return new string(text[..length]);
    }

    /// <summary>Formats a node's mode as restic's <c>ls -l</c> shows it.</summary>
    public static string Format(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Format(node.Mode);
    }
}
