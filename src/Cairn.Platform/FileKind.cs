namespace Cairn.Platform;

/// <summary>The file types Linux knows (the S_IFMT part of st_mode).</summary>
public enum FileKind
{
    File,
    Directory,
    Symlink,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
}
