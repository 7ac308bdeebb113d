using System.Xml.Linq;
using Cairn.Space.Web.Charts;

namespace Cairn.Space.Web.Tests;

public sealed class UsageChartTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1000, "1 kB")]
    [InlineData(3_051_234, 4_000_000, "4 MB")]
    [InlineData(999_999, 1_000_000, "1000 kB")]
    [InlineData(12_300_000_000, 15_000_000_000, "15 GB")]
    [InlineData(1_000_000, 1_000_000, "1 MB")]
    public void Byte_axes_end_on_a_round_value_at_or_above_the_peak(long peak, long top, string topLabel)
    {
        var axis = ChartScales.BytesAxis(peak);
        axis.Top.Should().Be(top);
        axis.Ticks[0].Label.Should().EndWith(topLabel.Split(' ')[1]).And.StartWith("0 ");
        axis.Ticks[^1].Label.Should().Be(topLabel);
        axis.Ticks.Count.Should().BeInRange(2, 8);
        axis.Ticks.Select(t => t.Bytes).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Time_axes_tick_on_whole_steps_inside_the_range()
    {
        var axis = ChartScales.TimeAxis(Created.AddMinutes(7), Created.AddHours(9));
        axis.Step.Should().Be(TimeSpan.FromHours(2));
        axis.Format.Should().Be("time");
        axis.Ticks.Should().Equal(Created.AddHours(2), Created.AddHours(4), Created.AddHours(6), Created.AddHours(8));

        var long_ = ChartScales.TimeAxis(Created, Created.AddDays(40));
        long_.Format.Should().Be("date");
        long_.Ticks.Count.Should().BeInRange(1, 6);
    }

    [Fact]
    public void The_chart_is_valid_svg_with_a_point_per_sample_and_labelled_axes()
    {
        List<UsagePointView> samples = [new(Created, 0), new(Created.AddHours(1), 3_000_000), new(Created.AddHours(5), 4_600_000)];
        var svg = XElement.Parse(UsageChart.Render(samples, Created, Created.AddHours(6), "Storage used by documents & more"));
        XNamespace ns = "";
        var all = svg.Descendants().ToList();
        all.Where(e => e.Name.LocalName == "circle").Select(e => (string?)e.Attribute("data-bytes"))
            .Should().Equal("0", "3000000", "4600000");
        all.Single(e => e.Name.LocalName == "title" && e.Parent == svg).Value.Should().Be("Storage used by documents & more");
        var texts = all.Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        texts.Should().Contain(["Stored", "Time (UTC)", "0 MB", "6 MB", "10:00"]);

        // The line runs level from the last sample to now, at the right edge of the plot.
        var line = all.Single(e => (string?)e.Attribute("class") == "line").Attribute("d")!.Value;
        line.Should().EndWith($"L{UsageChart.Width - 20} {all.Where(e => e.Name.LocalName == "circle").Last().Attribute("cy")!.Value}");
    }

    [Fact]
    public void Long_histories_are_thinned_but_keep_their_peak_and_last_sample()
    {
        var samples = Enumerable.Range(0, 20_000).Select(i => new UsagePointView(Created.AddMinutes(30 * i), i == 7_777 ? 9_000_000_000 : 1_000_000_000 + i)).ToList();
        var svg = UsageChart.Render(samples, Created, samples[^1].At, "a year");
        svg.Length.Should().BeLessThan(40_000);
        svg.Should().NotContain("<circle", "markers are for short histories");
        svg.Should().Contain(">10 GB<", "the peak of 9 GB sets the axis");
    }

    [Fact]
    public void A_new_task_without_samples_draws_empty_axes()
    {
        var svg = UsageChart.Render([], Created, Created, "empty");
        svg.Should().Contain("No usage recorded").And.Contain(">1 kB<").And.NotContain("class=\"line\"");
    }

    [Fact]
    public void The_time_axis_of_a_young_task_ends_at_now_not_an_hour_ahead()
    {
        var now = Created.AddMinutes(10);
        var svg = XElement.Parse(UsageChart.Render([new(Created.AddMinutes(5), 2_000_000)], Created, now, "young"));
        var ticks = svg.Descendants().Where(e => e.Name.LocalName == "text" && e.Attribute("data-at") is not null)
            .Select(e => DateTimeOffset.Parse((string)e.Attribute("data-at")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        ticks.Should().NotBeEmpty().And.OnlyContain(t => t <= now, "no tick lies in the future");
        ticks.Should().Contain(t => t < Created, "a task younger than an hour shows the hour before now");
        var line = svg.Descendants().Single(e => (string?)e.Attribute("class") == "line").Attribute("d")!.Value;
        line.Should().Contain($"L{UsageChart.Width - 20} ", "the level line from the last sample reaches the right edge, which is now");
    }
}
