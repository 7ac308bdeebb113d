namespace Cairn.Repository.Format;

/// <summary>The "type" of a tree node, as restic spells it.</summary>
public enum NodeType
{
    /// <summary>A regular file.</summary>
    File,
    /// <summary>A directory.</summary>
    Dir,
    /// <summary>A symbolic link.</summary>
    Symlink,
    /// <summary>A block device (restic's <c>dev</c>).</summary>
    Dev,
    /// <summary>A character device.</summary>
    CharDev,
    /// <summary>A named pipe.</summary>
    Fifo,
    /// <summary>A Unix domain socket.</summary>
    Socket,
}

/// <summary>The JSON names of node types, as trees hold them.</summary>
public static class NodeTypes
{
    /// <summary>The type's JSON name (<c>file</c>, <c>dir</c>, <c>symlink</c>, ...).</summary>
    public static string ToJsonName(this NodeType type) => type switch
    {
        NodeType.File => "file",
        NodeType.Dir => "dir",
        NodeType.Symlink => "symlink",
        NodeType.Dev => "dev",
        NodeType.CharDev => "chardev",
        NodeType.Fifo => "fifo",
        NodeType.Socket => "socket",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a type's JSON name.</summary>
    public static bool TryParse(string? name, out NodeType type)
    {
        switch (name)
        {
            case "file": type = NodeType.File; return true;
            case "dir": type = NodeType.Dir; return true;
            case "symlink": type = NodeType.Symlink; return true;
            case "dev": type = NodeType.Dev; return true;
            case "chardev": type = NodeType.CharDev; return true;
            case "fifo": type = NodeType.Fifo; return true;
            case "socket": type = NodeType.Socket; return true;
            default: type = default; return false;
        }
    }
}
