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
        var targets = BenchReport.TargetsOf(ratios).ToDictionary(t => t.Name, t => t.Met);

        ratios.Single(r => r.Step == Steps.Initial).SpeedVsRestic.Should().BeApproximately(2.0, 1e-9);
        targets["initial backup throughput vs restic"].Should().BeTrue();
        targets["initial backup throughput vs borg"].Should().BeFalse();
        targets["unchanged re-backup speed vs restic"].Should().BeFalse();
        targets["full restore speed vs restic"].Should().BeTrue();
        targets["bytes stored after the last backup vs restic"].Should().BeTrue();
        targets["peak memory vs restic (worst step)"].Should().BeTrue();
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
