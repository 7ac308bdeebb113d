using Cairn.Bench.Tools;

namespace Cairn.Bench.Tests;

public sealed class ReportTests
{
    [Fact]
    public void Median_takes_the_middle_value_or_the_mean_of_the_two_middle_ones()
    {
        BenchReport.MedianOf([3.0, 1.0, 2.0]).Should().Be(2.0);
        BenchReport.MedianOf([4.0, 1.0, 3.0, 2.0]).Should().Be(2.5);
    }

    [Fact]
    public void Targets_are_judged_on_the_ratios_of_the_medians()
    {
        // cairn twice as fast as restic everywhere, 1.4 times borg, 2% more bytes, less memory.
        var results = new List<StepResult>();
        foreach (var step in Steps.All)
        {
            results.Add(Result("cairn", step, wall: 1.0, rss: 90, stored: 102));
            results.Add(Result("restic", step, wall: 2.0, rss: 100, stored: 100));
            results.Add(Result("borg", step, wall: 1.4, rss: 80, stored: 95));
        }

        var ratios = BenchReport.RatiosOf(BenchReport.MediansOf(results, corpusBytes: 1 << 20));
        var targets = BenchReport.TargetsOf("mixed", ratios).ToDictionary(t => t.Name, t => t.Met);

        ratios.Single(r => r.Step == Steps.Initial).SpeedVsRestic.Should().BeApproximately(2.0, 1e-9);
        targets["initial backup throughput vs restic"].Should().BeTrue();
        targets["initial backup throughput vs borg"].Should().BeFalse();
        targets["unchanged re-backup speed vs restic"].Should().BeFalse();
        targets["full restore speed vs restic"].Should().BeTrue();
        targets["bytes stored after the last backup vs restic"].Should().BeTrue();
        targets["peak memory vs restic (worst step)"].Should().BeTrue();
    }

    [Fact]
    public void The_small_file_profiles_are_judged_on_issue_18s_targets()
    {
        // cairn 3 times as fast as restic, 0.5% more bytes, 0.6 of its memory.
        var results = new List<StepResult>();
        foreach (var step in Steps.All)
        {
            results.Add(Result("cairn", step, wall: 1.0, rss: 60, stored: 1005));
            results.Add(Result("restic", step, wall: 3.0, rss: 100, stored: 1000));
            results.Add(Result("borg", step, wall: 2.0, rss: 80, stored: 950));
        }

        var ratios = BenchReport.RatiosOf(BenchReport.MediansOf(results, corpusBytes: 1 << 20));
        var tiny = BenchReport.TargetsOf("tiny-files", ratios).ToDictionary(t => t.Name, t => t.Met);
        var million = BenchReport.TargetsOf("million-files", ratios).ToDictionary(t => t.Name, t => t.Met);

        tiny.Should().Equal(new Dictionary<string, bool>
        {
            ["initial backup throughput vs restic"] = true,
            ["unchanged re-backup speed vs restic"] = false, // 3x, 6x needed
            ["full restore speed vs restic"] = true,
            ["bytes stored after the last backup vs restic"] = true,
        });
        million.Should().Equal(new Dictionary<string, bool>
        {
            ["initial backup throughput vs restic"] = true,
            ["unchanged re-backup speed vs restic"] = true,
            ["full restore speed vs restic"] = true,
            ["peak memory vs restic (worst step)"] = true,
        });
        BenchReport.TargetIssue("tiny-files").Should().Be(18);
        BenchReport.TargetIssue("mixed").Should().Be(7);
        BenchReport.TargetIssue("folder").Should().Be(7);
    }

    [Theory]
    [InlineData("512M", 512L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("64k", 64L << 10)]
    [InlineData("1000", 1000L)]
    public void Sizes_are_read_in_binary_units(string text, long bytes) => BenchOptions.ParseSize(text).Should().Be(bytes);

    private static StepResult Result(string tool, string step, double wall, long rss, long stored) =>
        new(tool, step, 1, new Measurement(wall, wall / 2, wall / 4, wall / 4, rss), stored);
}
