using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

/// <summary>The REST backend against a real server, <c>rclone serve restic</c>.</summary>
public sealed class RestObjectStoreConformanceTests(RcloneServerFixture fixture) : ObjectStoreConformanceTests, IClassFixture<RcloneServerFixture>
{
    protected override Task<IObjectStore> CreateEmptyStoreAsync() =>
        Task.FromResult<IObjectStore>(new RestObjectStore(fixture.Server.NewRepositoryLocation()));

    protected override string? ConcurrentSameObjectSavesUnsupported =>
        "rclone serve restic writes uploads in place, so a racing save sees a partial object of another length (restic's rest-server writes to a temporary file)";

    protected override string? AbandonedUploadsMayLinger =>
        "rclone serve restic writes uploads in place and sometimes keeps a partial file of an aborted upload (rclone/rclone#6329)";

    protected override Task AssertNoLeftoversAsync(IObjectStore store)
    {
        var folder = fixture.Server.FolderOf(store.Location);
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).ToList()
            : [];
        files.Should().OnlyContain(f => IsObjectPath(f), "a failed upload leaves no partial file on the server");
        return Task.CompletedTask;
    }

    protected override Task PlantJunkAsync(IObjectStore store)
    {
        var root = fixture.Server.FolderOf(store.Location);
        Directory.CreateDirectory(Path.Combine(root, "data", "zz"));
        File.WriteAllText(Path.Combine(root, "data", "zz", "zz" + new string('0', 62)), "not hex");
        File.WriteAllText(Path.Combine(root, "keys", "README"), "not an object");
        File.WriteAllText(Path.Combine(root, "keys", new string('A', 64)), "upper case name");
        File.WriteAllText(Path.Combine(root, "index", new string('d', 63)), "short name");
        return Task.CompletedTask;
    }

    private static bool IsObjectPath(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts switch
        {
            ["config"] => true,
            ["data", var prefix, var name] => ObjectName.IsValid(ObjectKind.Pack, name) && name.StartsWith(prefix, StringComparison.Ordinal),
            [var folder, var name] => ObjectKinds.TryParseFolderName(folder, out var kind) && ObjectName.IsValid(kind, name),
            _ => false,
        };
    }
}
