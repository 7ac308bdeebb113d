namespace Cairn.Platform;

/// <summary>The file types Linux knows (the S_IFMT part of st_mode).</summary>
public enum FileKind
{
    /// <summary>A regular file.</summary>
    File,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link.</summary>
    Symlink,
    /// <summary>A named pipe.</summary>
    Fifo,
    /// <summary>A Unix domain socket.</summary>
    Socket,
    /// <summary>A character device.</summary>
    CharDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
}
