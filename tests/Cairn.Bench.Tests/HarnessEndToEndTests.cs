using System.Text.Json;
using Cairn.Bench.Tools;
using Cairn.Testing.Trees;

namespace Cairn.Bench.Tests;

/// <summary>
/// The whole harness on a tiny corpus with one run: cairn (from this output folder), restic and borg as real programs.
/// Only that it completes and reports everything; never how fast anything was. Runs alone: the index measurement reads
/// the whole process's managed heap, which other tests' allocations would disturb.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class HarnessEndToEndTests
{
    [Theory]
    [InlineData("mixed", 8L << 20)]
    [InlineData("tiny-files", 2L << 20)]
    [InlineData("million-files", 1L << 20)]
    public async Task Tiny_run_of_each_profile_reports_every_tool_and_step_and_every_restore_matches(string profile, long size)
    {
        using var scratch = new Scratch();
        var options = new BenchOptions
        {
            Profile = Corpus.CorpusProfiles.Parse(profile),
            SizeBytes = size,
            Runs = 1,
            WorkFolder = scratch.Combine("work"),
            ResultsFolder = scratch.Combine("results"),
            // The apphost beside the tests, or the native executable CAIRN_TEST_CLI names (e.g. the Native AOT build).
            CairnProgram = Environment.GetEnvironmentVariable("CAIRN_TEST_CLI") is { Length: > 0 } native ? native : Path.Combine(AppContext.BaseDirectory, "cairn"),
            IndexBlobs = 10_000,
            DropCaches = false,
        };
        using var log = new StringWriter();

        await Harness.RunAsync(options, log, TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(scratch.Combine("results/latest.json"), TestContext.Current.CancellationToken));
        var root = json.RootElement;
        var measurements = root.GetProperty("measurements").EnumerateArray().ToList();
        foreach (var tool in new[] { "cairn", "restic", "borg" })
        {
            foreach (var step in Steps.All)
            {
                var m = measurements.Where(e => e.GetProperty("tool").GetString() == tool && e.GetProperty("step").GetString() == step).ToList();
                m.Should().ContainSingle($"{tool} {step} ran once");
                var measurement = m[0].GetProperty("measurement");
                measurement.GetProperty("wallSeconds").GetDouble().Should().BePositive();
                measurement.GetProperty("cpuSeconds").GetDouble().Should().BePositive();
                measurement.GetProperty("peakRssBytes").GetInt64().Should().BePositive();
                m[0].GetProperty("storedBytes").GetInt64().Should().BePositive();
            }
        }

        var checks = root.GetProperty("restoreChecks").EnumerateArray().ToList();
        checks.Select(c => c.GetProperty("tool").GetString()).Should().BeEquivalentTo(["cairn", "restic", "borg"]);
        checks.Should().OnlyContain(c => c.GetProperty("passed").GetBoolean(), log.ToString());
        root.GetProperty("medians").GetArrayLength().Should().Be(12);
        root.GetProperty("ratios").GetArrayLength().Should().Be(4);
        root.GetProperty("targets").GetArrayLength().Should().Be(profile == "mixed" ? 6 : 4);
        root.GetProperty("indexMemory").GetProperty("found").GetInt32().Should().Be(10_000);
        root.GetProperty("indexMemory").GetProperty("bytesPerBlob").GetDouble().Should().BePositive();
        root.GetProperty("corpus").GetProperty("profile").GetString().Should().Be(profile);
        root.GetProperty("corpus").GetProperty("bytes").GetInt64().Should().BeInRange(size * 9 / 10, size * 2);
        Directory.GetFiles(scratch.Combine("results"), "*.json").Select(Path.GetFileName).Should().Contain([$"latest-{profile}.json", "latest.json"]).And.HaveCount(3);
        log.ToString().Should().Contain(profile == "mixed" ? "| target (issue 7) |" : "| target (issue 18) |");
    }

    [Fact]
    public async Task A_restore_that_differs_from_the_corpus_is_reported_as_failed()
    {
        using var scratch = new Scratch();
        var corpus = scratch.Combine("corpus");
        Corpus.CorpusGenerator.Generate(corpus, 1L << 20, seed: 3, TestContext.Current.CancellationToken);
        var target = scratch.Combine("target");
        var restored = Path.Combine(target, corpus.TrimStart('/'));
        await CopyAsync(corpus, restored);
        var identical = RestoreCheck.Compare("x", 1, corpus, target, new HashSet<string>());

        // The first file in the listing is always in the sample; one flipped bit there must be caught.
        var victim = Corpus.TreeSummary.List(restored)[0].Path;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(restored, victim), TestContext.Current.CancellationToken);
        bytes[0] ^= 1;
        await File.WriteAllBytesAsync(Path.Combine(restored, victim), bytes, TestContext.Current.CancellationToken);
        var flipped = RestoreCheck.Compare("x", 1, corpus, target, new HashSet<string>());
        File.Delete(Path.Combine(restored, victim));
        var missing = RestoreCheck.Compare("x", 1, corpus, target, new HashSet<string>());

        identical.Passed.Should().BeTrue(identical.Detail);
        flipped.Passed.Should().BeFalse();
        flipped.Detail.Should().Contain("sampled files differs");
        missing.Passed.Should().BeFalse();
        missing.Detail.Should().Contain("files instead of");
    }

    private static async Task CopyAsync(string from, string to)
    {
        foreach (var (path, _) in Corpus.TreeSummary.List(from))
        {
            var destination = Path.Combine(to, path);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            await using var source = File.OpenRead(Path.Combine(from, path));
            await using var target = File.Create(destination);
            await source.CopyToAsync(target);
        }
    }
}

[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
