using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// Writes what <c>dump</c> prints: one file's bytes, or a directory as a PAX tar stream of everything below it, named
/// by path without the leading "/" (as restic 0.14 names them) with modes, owners, times and link targets. Hard links
/// are written as separate files, sockets are left out (tar cannot hold them).
/// </summary>
public sealed class SnapshotDumper(ResticRepository repository)
{
    private const uint GoSetuid = 1u << 23;
    private const uint GoSetgid = 1u << 22;
    private const uint GoSticky = 1u << 20;

    /// <summary>Writes a file node's content to <paramref name="destination"/>, blob by blob.</summary>
    public async Task WriteFileAsync(Node file, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var blob in file.Content ?? [])
        {
            var bytes = await repository.LoadBlobAsync(BlobType.Data, blob, cancellationToken).ConfigureAwait(false);
            await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the tree <paramref name="tree"/>, found at <paramref name="path"/>, as a tar stream.</summary>
    public async Task WriteTarAsync(string path, Id tree, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var prefix = path.TrimEnd('/');
            await foreach (var (nodePath, node) in TreeWalker.EnumerateAsync(repository, tree, prefix, cancellationToken).ConfigureAwait(false))
            {
                if (Entry(nodePath.TrimStart('/'), node) is not { } entry)
                {
                    continue;
                }

                if (node.Type == NodeType.File)
                {
                    await using var content = new BlobContentStream(repository, node.Content ?? []);
                    entry.DataStream = content;
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static PaxTarEntry? Entry(string name, Node node)
    {
        var type = node.Type switch
        {
            NodeType.File => TarEntryType.RegularFile,
            NodeType.Dir => TarEntryType.Directory,
            NodeType.Symlink => TarEntryType.SymbolicLink,
            NodeType.Dev => TarEntryType.BlockDevice,
            NodeType.CharDev => TarEntryType.CharacterDevice,
            NodeType.Fifo => TarEntryType.Fifo,
            _ => (TarEntryType?)null,
        };
        if (type is not { } entryType)
        {
            return null;
        }

        var attributes = new Dictionary<string, string>
        {
            ["atime"] = PaxTime(node.AccessTime),
            ["ctime"] = PaxTime(node.ChangeTime),
        };
        foreach (var xattr in node.ExtendedAttributes ?? [])
        {
            attributes["SCHILY.xattr." + xattr.Name] = Encoding.UTF8.GetString(xattr.Value);
        }

        var entry = new PaxTarEntry(entryType, node.Type == NodeType.Dir ? name + "/" : name, attributes)
        {
            Mode = Mode(node.Mode),
            ModificationTime = node.ModTime.ToDateTimeOffset(),
            Uid = checked((int)node.Uid),
            Gid = checked((int)node.Gid),
            UserName = node.User ?? "",
            GroupName = node.Group ?? "",
        };
        if (node.Type == NodeType.Symlink)
        {
            entry.LinkName = Encoding.UTF8.GetString(node.LinkTarget ?? []);
        }

        if (node.Type is NodeType.Dev or NodeType.CharDev)
        {
            // Linux st_rdev encoding (glibc's gnu_dev_major/minor).
            entry.DeviceMajor = (int)(((node.Device >> 8) & 0xfff) | ((node.Device >> 32) & 0xfffff000));
            entry.DeviceMinor = (int)((node.Device & 0xff) | ((node.Device >> 12) & 0xffffff00));
        }

        return entry;
    }

    private static UnixFileMode Mode(uint goMode)
    {
        var mode = (UnixFileMode)(goMode & 0x1ff);
        if ((goMode & GoSetuid) != 0)
        {
            mode |= UnixFileMode.SetUser;
        }

        if ((goMode & GoSetgid) != 0)
        {
            mode |= UnixFileMode.SetGroup;
        }

        if ((goMode & GoSticky) != 0)
        {
            mode |= UnixFileMode.StickyBit;
        }

        return mode;
    }

    private static string PaxTime(NodeTime time)
    {
        var text = time.UnixSeconds.ToString(CultureInfo.InvariantCulture);
        return time.Nanoseconds == 0 ? text : text + "." + time.Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
