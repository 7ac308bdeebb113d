using System.Collections.Concurrent;
using Cairn.Testing.Trees;
using Cairn.Restore;

namespace Cairn.Engine.Tests;

/// <summary>
/// RestoreOptions.Verify reads what was written back and hashes it: a file changed behind the restore's back
/// (between its write and the read-back, through the engine's test seam) is reported as a failure, with a warning.
/// </summary>
public sealed class RestoreReadBackTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-read-back-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Verify_catches_a_file_changed_between_its_write_and_the_read_back()
    {
        var (engine, tree, source) = await BackUpAsync();
        await using var _ = engine;
        var target = _scratch.Combine("target");
        var tampered = target + source + "/b.bin";
        var progress = new WarningRecorder();
        var options = new RestoreOptions
        {
            Target = target,
            Safety = HostSafety.OwnSnapshot,
            Verify = true,
            // Same length, one byte different: only the hash can tell.
            BeforeVerify = () =>
            {
                using var file = File.OpenWrite(tampered);
                file.Position = 70_000;
                file.WriteByte(0x5A);
            },
        };

        var summary = await new Restorer(new RepositoryRestoreSource(engine.Repository), progress).RunAsync(tree, options, Ct);

        summary.VerifyFailures.Should().Be(1);
        summary.Warnings.Should().Be(1);
        progress.Warnings.Should().ContainSingle();
        progress.Warnings.Single().Path.Should().Be(tampered);
        progress.Warnings.Single().Message.Should().StartWith("verification failed: the content at offset");
    }

    [Fact]
    public async Task Verify_passes_an_untouched_restore_and_without_it_nothing_is_read_back()
    {
        var (engine, tree, _) = await BackUpAsync();
        await using var _ = engine;
        var progress = new WarningRecorder();
        var verified = await new Restorer(new RepositoryRestoreSource(engine.Repository), progress)
            .RunAsync(tree, new RestoreOptions { Target = _scratch.Combine("verified"), Safety = HostSafety.OwnSnapshot, Verify = true }, Ct);
        verified.VerifyFailures.Should().Be(0);
        progress.Warnings.Should().BeEmpty();

        var seamRan = false;
        await new Restorer(new RepositoryRestoreSource(engine.Repository))
            .RunAsync(tree, new RestoreOptions { Target = _scratch.Combine("plain"), Safety = HostSafety.OwnSnapshot, BeforeVerify = () => seamRan = true }, Ct);
        seamRan.Should().BeFalse("the read-back (and its seam) runs only when asked for");
    }

    private async Task<(EngineHarness Engine, Repository.Id Tree, string Source)> BackUpAsync()
    {
        var source = _scratch.Combine("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "alpha\n");
        var random = new Random(5);
        var bytes = new byte[200_000];
        random.NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(source, "b.bin"), bytes);
        var engine = await EngineHarness.CreateAsync(Ct);
        var (_, snapshot) = await engine.BackUpAsync(source, Ct);
        return (engine, snapshot.Tree, source);
    }

    private sealed class WarningRecorder : IRestoreProgress
    {
        public ConcurrentQueue<(string Path, string Message)> Warnings { get; } = new();

        public void Planned(long files, long bytes)
        {
        }

        public void BytesWritten(long bytes)
        {
        }

        public void Warning(string path, string message) => Warnings.Enqueue((path, message));

        public void Skipped(string path, string reason)
        {
        }
    }
}
