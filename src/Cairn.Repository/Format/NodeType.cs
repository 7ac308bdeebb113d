namespace Cairn.Repository.Format;

/// <summary>The "type" of a tree node, as restic spells it.</summary>
public enum NodeType
{
    File,
    Dir,
    Symlink,
    Dev,
    CharDev,
    Fifo,
    Socket,
}

public static class NodeTypes
{
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
