using Cairn.Space.Usage;
namespace Cairn.Space.Tests;

/// <summary>The pure arithmetic of metering and pricing, checked by hand.</summary>
public sealed class MeteringMathTests
{
    private static readonly DateTimeOffset March10 = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_default_price_sheet_walks_its_tiers()
    {
        var prices = PriceSheet.Load(null);
        prices.Currency.Should().Be("EUR");
        prices.Price("eu-central", 0).Should().Be(0);
        prices.Price("eu-central", 100).Should().Be(0.99m);
        prices.Price("eu-central", 1500).Should().Be(1000 * 0.0099m + 500 * 0.0079m);
        prices.Price("eu-central", 20000).Should().Be(1000 * 0.0099m + 9000 * 0.0079m + 10000 * 0.0059m);
    }

    [Fact]
    public void Hours_are_split_at_month_boundaries()
    {
        var from = new DateTimeOffset(2026, 3, 31, 22, 0, 0, TimeSpan.Zero);
        MeteringMath.HoursByMonth(from, from.AddHours(5)).Should().Equal(("2026-03", 2m), ("2026-04", 3m));
        MeteringMath.HoursInMonth(March10).Should().Be(31 * 24);
    }

    [Fact]
    public void Accrual_meters_the_overage_from_both_ends_and_shares_it_by_task_bytes()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        // 1 GB free; the instance goes from 3 GB to 5 GB over 10 hours: 2 GB over, then 4 GB, 3 GB on average.
        var accrued = MeteringMath.Accrue([(a, 1_000_000_000, 1_000_000_000), (b, 2_000_000_000, 4_000_000_000)],
            1_000_000_000, March10, March10.AddHours(10)).ToList();

        accrued.Sum(x => x.GbHours).Should().Be(30m);
        accrued.Single(x => x.TaskId == a).GbHours.Should().Be(7.5m, "a quarter of the average bytes");
        accrued.Single(x => x.TaskId == b).GbHours.Should().Be(22.5m);
        MeteringMath.Accrue([(a, 500, 500)], 1000, March10, March10.AddHours(1)).Should().BeEmpty("under the allowance is free");
    }
}
