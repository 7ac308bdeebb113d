using System.Text;
using System.Text.Json;

namespace Cairn.Platform.Tests;

/// <summary>
/// Backs the sample tree up with the real restic and checks that what this layer reads, turned into
/// restic's node fields (GoFileMode, GoTime in the writer's zone, names, inode, device ids, xattrs), is what restic stored.
/// </summary>
public sealed class ResticAgreementTests(SampleTree tree) : IClassFixture<SampleTree>
{
    private const string Zone = "Europe/Berlin";

    [Fact]
    public void Node_fields_match_what_restic_wrote_for_the_same_files()
    {
        Settle(tree.Root);
        var expected = new Dictionary<string, FileStatus>();
        Record(tree.Root, "", expected);

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
        var compared = new List<string>();
        CompareTree(rootTree, tree.Root, "", expected, zone, environment, compared);
        compared.Should().BeEquivalentTo(expected.Keys, "restic stored every entry");
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

    private static void Record(RawPath directory, string relative, Dictionary<string, FileStatus> statuses)
    {
        foreach (var name in PosixFileSystem.ReadDirectory(directory))
        {
            var path = directory.Join(name);
            string key = relative + "/" + GoQuote.Escape(name);
            var status = PosixFileSystem.LStat(path);
            if (status.Kind == FileKind.Socket)
            {
                continue; // restic 0.14 leaves sockets out of its trees.
            }
            statuses[key] = status;
            if (statuses[key].Kind == FileKind.Directory)
            {
                Record(path, key, statuses);
            }
        }
    }

    private static void CompareTree(string treeId, RawPath directory, string relative, Dictionary<string, FileStatus> expected,
        TimeZoneInfo zone, Dictionary<string, string> environment, List<string> compared)
    {
        using var document = JsonDocument.Parse(Shell.Run($"restic cat blob --no-cache {treeId}", environment));
        foreach (var node in document.RootElement.GetProperty("nodes").EnumerateArray())
        {
            string name = node.GetProperty("name").GetString()!;
            string key = relative + "/" + name;
            expected.Should().ContainKey(key, "restic stored {0}", key);
            var status = expected[key];
            var path = directory.Join(GoQuote.Unescape(name));

            string because = $"restic stored {key} so";
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
            node.GetProperty("inode").GetUInt64().Should().Be(status.Inode, because);
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

            compared.Add(key);
            if (status.Kind == FileKind.Directory)
            {
                CompareTree(node.GetProperty("subtree").GetString()!, path, key, expected, zone, environment, compared);
            }
        }
    }

    private static string? Optional(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) ? value.GetString() : null;
}
