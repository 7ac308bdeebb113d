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
        var ratios = RatiosOfEveryStep(cairn: (1.0, 90, 102), restic: (2.0, 100, 100), borg: (1.4, 80, 95));
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
        var ratios = RatiosOfEveryStep(cairn: (1.0, 60, 1005), restic: (3.0, 100, 1000), borg: (2.0, 80, 950));
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

    /// <summary>The ratios when every step of each tool took the same wall time, peak memory and stored bytes.</summary>
    private static IReadOnlyList<Ratio> RatiosOfEveryStep((double Wall, long Rss, long Stored) cairn, (double Wall, long Rss, long Stored) restic,
        (double Wall, long Rss, long Stored) borg)
    {
        var results = Steps.All.SelectMany(step => new[]
        {
            Result("cairn", step, cairn.Wall, cairn.Rss, cairn.Stored),
            Result("restic", step, restic.Wall, restic.Rss, restic.Stored),
            Result("borg", step, borg.Wall, borg.Rss, borg.Stored),
        }).ToList();
        return BenchReport.RatiosOf(BenchReport.MediansOf(results, corpusBytes: 1 << 20));
    }

    private static StepResult Result(string tool, string step, double wall, long rss, long stored) =>
        new(tool, step, 1, new Measurement(wall, wall / 2, wall / 4, wall / 4, rss), stored);
}
