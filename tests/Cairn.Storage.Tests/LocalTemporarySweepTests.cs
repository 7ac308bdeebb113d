using Cairn.Storage.Testing;
using Cairn.Testing.Trees;
using Cairn.Testing;

namespace Cairn.Storage.Tests;

/// <summary>
/// Removing what a killed writer left in a local repository: <c>.tmp-*</c> files older than the cut-off go, from
/// every folder a writer uses; live temporary files, objects and anything else stay.
/// </summary>
public sealed class LocalTemporarySweepTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly Scratch _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Stale_temporary_files_are_removed_from_the_root_kind_folders_and_pack_folders()
    {
        var (store, root) = await CreateAsync();
        var inRoot = Plant(root, ".tmp-000000000000000000000001", 10, TimeSpan.FromHours(5));
        var inKeys = Plant(Path.Combine(root, "keys"), ".tmp-000000000000000000000002", 20, TimeSpan.FromHours(2));
        var inData = Plant(Path.Combine(root, "data", "7f"), ".tmp-000000000000000000000003", 300, TimeSpan.FromDays(9));

        var swept = store.SweepTemporaries(Now - TemporarySweep.StaleAfter, Ct);

        swept.Should().Be(new TemporarySweepResult(3, 330));
        File.Exists(inRoot).Should().BeFalse();
        File.Exists(inKeys).Should().BeFalse();
        File.Exists(inData).Should().BeFalse();
    }

    [Fact]
    public async Task Fresh_temporary_files_objects_and_foreign_files_are_kept()
    {
        var (store, root) = await CreateAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 500);
        await pack.SaveToAsync(store, Ct);
        var packPath = Path.Combine(root, "data", pack.Name.Name[..2], pack.Name.Name);
        File.SetLastWriteTimeUtc(packPath, (Now - TimeSpan.FromDays(30)).UtcDateTime);
        var fresh = Plant(Path.Combine(root, "data", "00"), ".tmp-000000000000000000000004", 10, TimeSpan.FromMinutes(59));
        var foreign = Plant(Path.Combine(root, "data", "00"), "notes.txt", 10, TimeSpan.FromDays(30));
        var folder = Path.Combine(root, "data", "00", ".tmp-folder");
        Directory.CreateDirectory(folder);
        Directory.SetLastWriteTimeUtc(folder, (Now - TimeSpan.FromDays(30)).UtcDateTime);

        store.SweepTemporaries(Now - TemporarySweep.StaleAfter, Ct).Should().Be(default(TemporarySweepResult));

        File.Exists(packPath).Should().BeTrue();
        File.Exists(fresh).Should().BeTrue();
        File.Exists(foreign).Should().BeTrue();
        Directory.Exists(folder).Should().BeTrue();
    }

    [Fact]
    public async Task A_staged_pack_being_written_is_kept_and_one_abandoned_for_an_hour_is_removed_with_the_injected_clock()
    {
        var (store, root) = await CreateAsync();
        await using var staged = store.CreateStagingFile(ObjectKind.Pack);
        staged.Write(new byte[1234]);
        staged.Flush();
        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(staged.Name), TimeSpan.Zero);

        TemporarySweep.SweepStale(store, new TestClock(written + TimeSpan.FromMinutes(30)), Ct).Files.Should().Be(0);
        File.Exists(staged.Name).Should().BeTrue();

        TemporarySweep.SweepStale(store, new TestClock(written + TimeSpan.FromMinutes(61)), Ct).Should().Be(new TemporarySweepResult(1, 1234));
        File.Exists(staged.Name).Should().BeFalse();
        (await store.ListAllAsync(ObjectKind.Pack, Ct)).Should().BeEmpty();
    }

    [Fact]
    public void Stores_without_temporary_files_sweep_nothing()
    {
        TemporarySweep.SweepStale(new InMemoryObjectStore(), new TestClock(Now), Ct).Should().Be(default(TemporarySweepResult));
    }

    [Fact]
    public void A_missing_repository_sweeps_nothing()
    {
        new LocalObjectStore(_folder.Combine("absent")).SweepTemporaries(Now, Ct).Should().Be(default(TemporarySweepResult));
    }

    private async Task<(LocalObjectStore Store, string Root)> CreateAsync()
    {
        var root = _folder.Combine("repo");
        var store = new LocalObjectStore(root);
        await store.CreateAsync(Ct);
        return (store, root);
    }

    private static string Plant(string folder, string name, int length, TimeSpan age)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, new byte[length]);
        File.SetLastWriteTimeUtc(path, (Now - age).UtcDateTime);
        return path;
    }
}
