using System.Buffers;
using System.Text;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Restore;

/// <summary>
/// Compares a restored folder with the snapshot it came from, by raw byte names (Linux names are bytes): every
/// folder holds exactly the snapshot's entries, each has the snapshot's type and the permissions the
/// <see cref="HostSafety"/> gives it, files have their size and content (read back chunk by chunk, each chunk hashing
/// to its blob ID, the SHA-256 of its plaintext), links their target bytes, and hard links share one inode. Entries
/// the policy deliberately did not create (sockets; devices and FIFOs under a policy without special files) are
/// expected to be absent.
/// </summary>
internal sealed class RestoreVerifier(IRestoreSource source)
{
    public async Task<VerifiedRestore> VerifyAsync(Id rootTree, string target, HostSafety safety, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(safety);
        var root = target == Restorer.WorkingDirectory ? new RawPath("."u8) : RawPath.FromString(Path.GetFullPath(target));
        var walk = new Walk(safety);
        await TreeWalker.WalkFoldersAsync(source, rootTree, (Folder: root, Shown: "/"),
            (folder, ct) => VerifyFolderAsync(folder.Nodes, folder.State.Folder, folder.State.Shown, walk, ct),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new VerifiedRestore(walk.Files, walk.Directories, walk.Bytes, walk.Skipped);
    }

    /// <summary>Checks one restored folder against its tree; returns its directories, to be checked in turn.</summary>
    private async ValueTask<IEnumerable<(Node, (RawPath Folder, string Shown))>> VerifyFolderAsync(
        IReadOnlyList<Node> nodes, RawPath folder, string shown, Walk walk, CancellationToken cancellationToken)
    {
        // Latin-1 maps each byte to one char and back, so names that are not UTF-8 compare exactly.
        var restored = PosixFileSystem.ListDirectory(folder).ToDictionary(e => Encoding.Latin1.GetString(e.Name), StringComparer.Ordinal);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (!walk.IsCreated(node.Type))
            {
                walk.Skipped++;
                continue;
            }

            var key = Encoding.Latin1.GetString(node.Name);
            expected.Add(key);
            if (!restored.ContainsKey(key))
            {
                throw new RestoreVerificationException($"{shown}{RawPath.Display(node.Name)} is in the snapshot but was not restored");
            }
        }

        if (restored.Keys.FirstOrDefault(k => !expected.Contains(k)) is { } extra)
        {
            throw new RestoreVerificationException($"{shown}{RawPath.Display(restored[extra].Name)} was restored but is not in the snapshot");
        }

        walk.Directories++;
        var directories = new List<(Node, (RawPath, string))>();
        foreach (var node in nodes.Where(n => walk.IsCreated(n.Type)))
        {
            var path = folder.Join(node.Name);
            var what = shown + RawPath.Display(node.Name);
            var status = PosixFileSystem.LStat(path);
            var kind = KindOf(node.Type);
            if (status.Kind != kind)
            {
                throw new RestoreVerificationException($"{what} should be a {Describe(kind)}, it is a {Describe(status.Kind)}");
            }

            if (node.Type != NodeType.Symlink)
            {
                var permissions = walk.Safety.Permissions(GoFileMode.ToPosix(node.Mode).Permissions);
                if (status.Permissions != permissions)
                {
                    throw new RestoreVerificationException(
                        $"{what} has permissions {Convert.ToString(status.Permissions, 8)}, the restore should have given it {Convert.ToString(permissions, 8)}");
                }
            }

            switch (node.Type)
            {
                case NodeType.Dir:
                    if (node.Subtree is null)
                    {
                        throw new RestoreVerificationException($"{what} is a directory without a subtree in the snapshot");
                    }

                    directories.Add((node, (path, what + "/")));
                    break;
                case NodeType.File:
                    if ((ulong)status.Size != node.Size)
                    {
                        throw new RestoreVerificationException($"{what} has {status.Size} bytes, the snapshot says {node.Size}");
                    }

                    walk.CheckHardLink(node, status, what);
                    await VerifyContentAsync(node, path, what, cancellationToken).ConfigureAwait(false);
                    walk.Files++;
                    walk.Bytes += status.Size;
                    break;
                case NodeType.Symlink:
                    var linkTarget = node.LinkTarget ?? [];
                    if (!PosixFileSystem.ReadLink(path).AsSpan().SequenceEqual(linkTarget))
                    {
                        throw new RestoreVerificationException($"{what} should be a link to {RawPath.Display(linkTarget)}");
                    }

                    break;
                case NodeType.Dev or NodeType.CharDev when status.RDevice != node.Device:
                    throw new RestoreVerificationException($"{what} stands for another device than in the snapshot");
            }
        }

        return directories;
    }

    private async Task VerifyContentAsync(Node node, RawPath path, string what, CancellationToken cancellationToken)
    {
        if (await FileContentCheck.FirstDifferenceAsync(source, path, node, cancellationToken).ConfigureAwait(false) is { } difference)
        {
            throw new RestoreVerificationException($"{what}: {difference}");
        }
    }

    private static FileKind KindOf(NodeType type) => type switch
    {
        NodeType.Dir => FileKind.Directory,
        NodeType.File => FileKind.File,
        NodeType.Symlink => FileKind.Symlink,
        NodeType.Fifo => FileKind.Fifo,
        NodeType.CharDev => FileKind.CharDevice,
        NodeType.Dev => FileKind.BlockDevice,
        _ => FileKind.Socket,
    };

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.File => "regular file",
        FileKind.Directory => "directory",
        FileKind.Symlink => "symbolic link",
        FileKind.Fifo => "FIFO",
        FileKind.CharDevice => "character device",
        FileKind.BlockDevice => "block device",
        _ => "socket",
    };

    /// <summary>What one verification has counted so far, and the inodes of hard-linked files seen.</summary>
    private sealed class Walk(HostSafety safety)
    {
        private readonly Dictionary<(ulong Device, ulong Inode), (ulong Device, ulong Inode)> _links = [];

        public HostSafety Safety => safety;
        public long Files { get; set; }
        public long Directories { get; set; }
        public long Bytes { get; set; }
        public long Skipped { get; set; }

        public bool IsCreated(NodeType type) => type switch
        {
            NodeType.Socket => false,
            NodeType.Fifo or NodeType.Dev or NodeType.CharDev => safety.CreateSpecialFiles,
            _ => true,
        };

        /// <summary>Files that were one inode in the source must be one inode on the disk.</summary>
        public void CheckHardLink(Node node, FileStatus status, string what)
        {
            if (node.Links <= 1)
            {
                return;
            }

            if (!_links.TryAdd((node.DeviceId, node.Inode), (status.DeviceId, status.Inode)) && _links[(node.DeviceId, node.Inode)] != (status.DeviceId, status.Inode))
            {
                throw new RestoreVerificationException($"{what} should be a hard link of another file of the snapshot");
            }
        }
    }
}

/// <summary>What a verified restore holds; <paramref name="Skipped"/> counts the entries the policy deliberately left out.</summary>
internal sealed record VerifiedRestore(long Files, long Directories, long Bytes, long Skipped);

/// <summary>The restored tree differs from the snapshot; the message names the first difference.</summary>
public sealed class RestoreVerificationException(string message) : Exception(message);
