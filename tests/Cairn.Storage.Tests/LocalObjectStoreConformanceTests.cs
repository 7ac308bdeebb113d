using Cairn.Storage.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Storage.Tests;

public class LocalObjectStoreConformanceTests : ObjectStoreConformanceTests
{
    private readonly Scratch _folder = new();

    /// <summary>Whether the stores under test keep packs open between reads (as the CLI's and the agent's do).</summary>
    protected virtual bool KeepPacksOpen => false;

    protected override Task<IObjectStore> CreateEmptyStoreAsync() =>
        Task.FromResult<IObjectStore>(new LocalObjectStore(_folder.Combine(Guid.NewGuid().ToString("n")), KeepPacksOpen));

    protected override Task AssertNoLeftoversAsync(IObjectStore store)
    {
        var leftovers = Directory.EnumerateFiles(store.Location, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).StartsWith(".tmp-", StringComparison.Ordinal));
        leftovers.Should().BeEmpty("a failed save deletes its temporary file");
        return Task.CompletedTask;
    }

    protected override Task PlantJunkAsync(IObjectStore store)
    {
        var root = store.Location;
        var hex = new string('a', 64);
        File.WriteAllText(Path.Combine(root, "data", "aa", ".tmp-0123456789"), "partial upload");
        File.WriteAllText(Path.Combine(root, "data", "00", hex), "valid name in the wrong data subfolder");
        File.WriteAllText(Path.Combine(root, "data", hex), "valid name outside the data subfolders");
        Directory.CreateDirectory(Path.Combine(root, "data", "zz"));
        File.WriteAllText(Path.Combine(root, "data", "zz", "zz" + new string('0', 62)), "not hex");
        Directory.CreateDirectory(Path.Combine(root, "data", "AA"));
        File.WriteAllText(Path.Combine(root, "data", "AA", "AA" + new string('0', 62)), "upper case");
        File.WriteAllText(Path.Combine(root, "keys", "README"), "not an object");
        File.WriteAllText(Path.Combine(root, "keys", hex.ToUpperInvariant()), "upper case name");
        Directory.CreateDirectory(Path.Combine(root, "keys", new string('b', 64)));
        Directory.CreateDirectory(Path.Combine(root, "locks", new string('c', 64)));
        File.WriteAllText(Path.Combine(root, "snapshots", ".tmp-abc"), "temp");
        File.WriteAllText(Path.Combine(root, "index", new string('d', 63)), "short name");
        File.WriteAllText(Path.Combine(root, "config.bak"), "not the config");
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>The same suite on stores that keep the packs they read open (<see cref="LocalObjectStore.OpenPackLimit"/>).</summary>
public sealed class LocalObjectStoreWithOpenPacksConformanceTests : LocalObjectStoreConformanceTests
{
    protected override bool KeepPacksOpen => true;
}
