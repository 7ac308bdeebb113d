using System.Text;
using System.Text.Json;

namespace Cairn.Platform.Tests;

/// <summary>
/// Backs the sample tree up with the real restic and checks that what this layer reads, turned into
/// restic's node fields (GoFileMode, GoTime in the writer's zone, names, inode, device ids, xattrs), is what restic stored.
/// Nodes are matched by inode: name escaping is the tree codec's business, not this layer's.
/// </summary>
public sealed class ResticAgreementTests(SampleTree tree) : IClassFixture<SampleTree>
{
    private const string Zone = "Europe/Berlin";

    private sealed record Entry(RawPath Path, FileStatus Status);

    [Fact]
    public void Node_fields_match_what_restic_wrote_for_the_same_files()
    {
        Settle(tree.Root);
        var expected = new List<Entry>();
        Record(tree.Root, expected);

        var repository = tree.Top.Join("restic-repository"u8);
        var environment = new Dictionary<string, string>
        {
            ["RESTIC_PASSWORD"] = "platform-test",
            ["RESTIC_REPOSITORY"] = repository.ToString(),
            ["TZ"] = Zone,
        };
        Shell.Run($"restic init --quiet --no-cache && cd {Shell.Quote(tree.Root)} && restic backup --quiet --no-cache .", environment);
        using var snapshots = JsonDocument.Parse(Shell.Run("restic snapshots --json --no-cache", environment));
        string rootTree = snapshots.RootElement[0].GetProperty("tree").GetString()!;

        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var byInode = expected.ToLookup(e => e.Status.Inode);
        int compared = CompareTree(rootTree, byInode, zone, environment);
        compared.Should().Be(expected.Count, "restic stored every entry but the socket");
    }

    /// <summary>Reads every directory and symlink once, so relatime has moved their atimes before anyone records them.</summary>
    private static void Settle(RawPath directory)
    {
        foreach (var name in PosixFileSystem.ReadDirectory(directory))
        {
            var path = directory.Join(name);
            var kind = PosixFileSystem.LStat(path).Kind;
            if (kind == FileKind.Directory)
            {
                Settle(path);
            }
            else if (kind == FileKind.Symlink)
            {
                PosixFileSystem.ReadLink(path);
            }
        }
    }

    private static void Record(RawPath directory, List<Entry> entries)
    {
        foreach (var name in PosixFileSystem.ReadDirectory(directory))
        {
            var path = directory.Join(name);
            var status = PosixFileSystem.LStat(path);
            if (status.Kind == FileKind.Socket)
            {
                continue; // restic 0.14 leaves sockets out of its trees.
            }
            entries.Add(new Entry(path, status));
            if (status.Kind == FileKind.Directory)
            {
                Record(path, entries);
            }
        }
    }

    private static int CompareTree(string treeId, ILookup<ulong, Entry> byInode, TimeZoneInfo zone, Dictionary<string, string> environment)
    {
        using var document = JsonDocument.Parse(Shell.Run($"restic cat blob --no-cache {treeId}", environment));
        int compared = 0;
        foreach (var node in document.RootElement.GetProperty("nodes").EnumerateArray())
        {
            string name = node.GetProperty("name").GetString()!;
            ulong inode = node.GetProperty("inode").GetUInt64();
            byInode.Contains(inode).Should().BeTrue("restic stored {0} with inode {1}", name, inode);
            var (path, status) = byInode[inode].First(); // hard links share one inode and so one status
            string because = $"restic stored {name} (inode {inode}) so";

            node.GetProperty("mode").GetUInt32().Should().Be(GoFileMode.FromStatus(status), because);
            node.GetProperty("mtime").GetString().Should().Be(GoTime.Format(status.ModifyTime, zone), because);
            // restic 0.14 writes every node's mtime as its atime too (reading must not change a tree); the
            // real atime is checked against stat(1) in LStatTests.
            node.GetProperty("atime").GetString().Should().Be(GoTime.Format(status.ModifyTime, zone), because);
            node.GetProperty("ctime").GetString().Should().Be(GoTime.Format(status.ChangeTime, zone), because);
            node.GetProperty("uid").GetUInt32().Should().Be(status.Uid, because);
            node.GetProperty("gid").GetUInt32().Should().Be(status.Gid, because);
            Optional(node, "user").Should().Be(PosixFileSystem.UserName(status.Uid), because);
            Optional(node, "group").Should().Be(PosixFileSystem.GroupName(status.Gid), because);
            node.GetProperty("device_id").GetUInt64().Should().Be(status.DeviceId, because);
            if (node.TryGetProperty("links", out var links))
            {
                links.GetUInt64().Should().Be(status.Links, because);
            }
            if (status.Kind == FileKind.File)
            {
                (node.TryGetProperty("size", out var size) ? size.GetInt64() : 0).Should().Be(status.Size, because);
            }
            if (status.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            {
                node.GetProperty("device").GetUInt64().Should().Be(status.RDevice, because);
            }
            if (status.Kind == FileKind.Symlink && PosixFileSystem.ReadLink(path) is var target && RawPath.FromString(RawPath.Display(target)).Bytes.SequenceEqual(target))
            {
                node.GetProperty("linktarget").GetString().Should().Be(Encoding.UTF8.GetString(target), because);
            }
            var xattrs = node.TryGetProperty("extended_attributes", out var stored)
                ? stored.EnumerateArray().Select(a => (a.GetProperty("name").GetString()!, a.GetProperty("value").GetBytesFromBase64())).ToList()
                : [];
            PosixFileSystem.ListXattrs(path).Select(a => (Encoding.UTF8.GetString(a.Name), a.Value))
                .Should().BeEquivalentTo(xattrs, because);

            compared++;
            if (status.Kind == FileKind.Directory)
            {
                compared += CompareTree(node.GetProperty("subtree").GetString()!, byInode, zone, environment);
            }
        }
        return compared;
    }

    private static string? Optional(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) ? value.GetString() : null;
}
