using System.Globalization;
using System.Reflection;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests;

/// <summary>
/// The one tiered-price calculator: its edges, its checks, and that the storage and restore prices it now computes
/// in <c>decimal</c> are the ones the former <c>double</c> path computed for the figures the other tests use.
/// </summary>
public sealed class TieredPriceTests
{
    /// <summary>The default sheet's eu-central tiers: 0.0099 up to 1000 GB-months, 0.0079 up to 10000, then 0.0059.</summary>
    private static readonly TieredPrice EuCentral = new("eu-central",
        [new TierPrice(1000, 0.0099m), new TierPrice(10000, 0.0079m), new TierPrice(null, 0.0059m)]);

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-5", "0")]
    [InlineData("0.0000001", "0")]
    public void Nothing_and_less_than_nothing_cost_nothing(string quantity, string expected)
        => EuCentral.Of(decimal.Parse(quantity, CultureInfo.InvariantCulture)).Should().Be(decimal.Parse(expected, CultureInfo.InvariantCulture));

    [Fact]
    public void A_quantity_exactly_at_a_tier_edge_is_all_at_the_lower_tiers_prices()
    {
        EuCentral.Of(1000).Should().Be(9.90m, "1000 × 0.0099, nothing at the second tier");
        EuCentral.Of(10000).Should().Be(81.00m, "1000 × 0.0099 + 9000 × 0.0079");
    }

    [Fact]
    public void The_unit_past_an_edge_is_at_the_next_tiers_price()
    {
        EuCentral.Of(1001).Should().Be(9.91m, "9.90 + 0.0079, rounded");
        EuCentral.Of(10100).Should().Be(81.59m, "81.00 + 100 × 0.0059");
        new TieredPrice("edge", [new TierPrice(1, 1m), new TierPrice(null, 100m)]).Of(1.01m).Should().Be(2.00m, "1 × 1 + 0.01 × 100");
    }

    [Fact]
    public void A_total_is_rounded_to_cents_with_halves_away_from_zero()
    {
        var flat = new TieredPrice("flat", [new TierPrice(null, 0.001m)]);
        flat.Of(5).Should().Be(0.01m, "0.005 is a half");
        flat.Of(4.999m).Should().Be(0.00m);
        flat.Of(14.999m).Should().Be(0.01m);
        flat.Of(15).Should().Be(0.02m);
    }

    [Fact]
    public void Large_quantities_are_priced_exactly()
    {
        // Every byte a long can count, stored for a 31-day month: about 6.9 million GB-months, far into the last tier.
        var gbMonths = long.MaxValue / MeteringMath.BytesPerGb;
        EuCentral.Of(gbMonths).Should().Be(decimal.Round(81.00m + (gbMonths - 10000) * 0.0059m, 2, MidpointRounding.AwayFromZero));
        EuCentral.Of(1_000_000_000_000m).Should().Be(81.00m + 999_999_990_000m * 0.0059m);
    }

    [Theory]
    [InlineData(new[] { 0.0099 }, "bounded last")]
    [InlineData(new double[0], "no tier")]
    public void Tiers_without_an_unbounded_last_one_are_refused(double[] bounds, string because)
    {
        var tiers = bounds.Select(b => new TierPrice((decimal)b, 1m));
        FluentActions.Invoking(() => new TieredPrice("sheet", tiers)).Should().Throw<InvalidOperationException>(because)
            .WithMessage("sheet: the last price tier must have no upper bound");
    }

    [Fact]
    public void Tiers_that_do_not_rise_or_a_negative_price_are_refused()
    {
        TierPrice[][] bad =
        [
            [new(10, 1m), new(10, 1m), new(null, 1m)],
            [new(10, 1m), new(5, 1m), new(null, 1m)],
            [new(0, 1m), new(null, 1m)],
            [new(10, -0.01m), new(null, 1m)],
            [new(null, -1m)],
        ];
        foreach (var tiers in bad)
        {
            FluentActions.Invoking(() => new TieredPrice("sheet", tiers)).Should().Throw<InvalidOperationException>()
                .WithMessage("sheet: tiers must rise and prices cannot be negative");
        }
    }

    [Fact]
    public void Storage_within_the_free_allowance_costs_nothing_and_each_gb_above_it_is_priced()
    {
        const long free = 10_000_000_000; // the default 10 GB per instance
        var prices = PriceSheet.Load(null);
        var march = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var hours = MeteringMath.HoursInMonth(march);
        decimal PriceOfMonthAt(long bytes)
            => prices.Price("eu-central", MeteringMath.Accrue([(Guid.NewGuid(), bytes, bytes)], free, march, MeteringMath.MonthEnd(march))
                .Sum(a => a.GbHours) / hours);

        PriceOfMonthAt(free).Should().Be(0, "exactly the allowance is free");
        PriceOfMonthAt(free + 1).Should().Be(0, "one byte over for a month is a byte-month, under a cent");
        PriceOfMonthAt(free + 1_000_000_000).Should().Be(0.01m, "one GB-month at 0.0099");
        PriceOfMonthAt(free + 1_000_000_000_000).Should().Be(9.90m, "1000 GB-months: exactly the first tier");
        PriceOfMonthAt(free + 1_001_000_000_000).Should().Be(9.91m, "one GB-month past the first tier");
    }

    /// <summary>(overBytes, hours metered, hours in the month): the figures of MeteringMathTests, MeteringTests and BillingTests.</summary>
    public static TheoryData<string, long, double, double> StorageCases => new()
    {
        { "eu-central", 100_000_000_000, 744, 744 },
        { "eu-central", 1_500_000_000_000, 744, 744 },
        { "eu-central", 20_000_000_000_000, 720, 720 },
        { "eu-central", 1_000_000_000_000, 744, 744 },
        { "us-east", 12_345_678_901_234, 500, 744 },
        { "ap-southeast", 999_999_999_999, 672, 672 },
        { "test", 1_000_000, 10, 744 },
        { "test", 1_000_000, 10 + 0.001 * 470, 744 },
        { "test", 5_000, 520, 744 },
        { "test", 5_000, 720, 720 },
        { "test", 5_000, 744, 744 },
    };

    [Theory]
    [MemberData(nameof(StorageCases))]
    public void Storage_charges_are_what_the_former_double_arithmetic_made_of_them(string region, long overBytes, double hours, double hoursInMonth)
    {
        var sheet = region == "test" ? PriceSheet.Load(Path.Combine(AppContext.BaseDirectory, "test-pricesheet.json")) : PriceSheet.Load(null);
        var tiers = sheet.RegionDetails.Single(r => r.Id == region).Tiers;

        var now = sheet.Price(region, overBytes / MeteringMath.BytesPerGb * (decimal)hours / (decimal)hoursInMonth);

        now.Should().Be(FormerPrice(tiers, overBytes / 1e9 * hours / hoursInMonth));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(1000.5)]
    [InlineData(60000)]
    public void Restore_charges_are_what_the_former_calculator_made_of_them(double gb)
    {
        var catalog = CloudCatalog.Load((string?)null);
        foreach (var provider in catalog.Providers)
        {
            var storage = provider.StorageTiers.Select(t => new PriceTier(t.UpToGb, t.PricePerGbMonth)).ToList();
            var traffic = provider.BandwidthTiers.Select(t => new PriceTier(t.UpToGb, t.PricePerGb)).ToList();
            provider.StoragePrice().Of((decimal)gb).Should().Be(FormerPrice(storage, gb), provider.Id);
            provider.BandwidthPrice().Of((decimal)gb).Should().Be(FormerPrice(traffic, gb), provider.Id);
        }
    }

    [Fact]
    public void Money_and_metering_code_holds_no_binary_floating_point()
    {
        string[] features = ["Cairn.Space.Usage", "Cairn.Space.Billing", "Cairn.Space.CloudRestore"];
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var offenders = new List<string>();
        // Nested types too: an iterator's or a lambda's locals are fields of a generated class.
        foreach (var type in typeof(PriceSheet).Assembly.GetTypes().Where(t => features.Any(f => t.Namespace == f || t.Namespace?.StartsWith(f + ".", StringComparison.Ordinal) == true)))
        {
            offenders.AddRange(type.GetFields(all).Where(f => IsFloating(f.FieldType)).Select(f => $"{type}.{f.Name}"));
            offenders.AddRange(type.GetProperties(all).Where(p => IsFloating(p.PropertyType)).Select(p => $"{type}.{p.Name}"));
            offenders.AddRange(type.GetMethods(all).Where(m => IsFloating(m.ReturnType) || m.GetParameters().Any(p => IsFloating(p.ParameterType)))
                .Select(m => $"{type}.{m.Name}()"));
            offenders.AddRange(type.GetConstructors(all).Where(c => c.GetParameters().Any(p => IsFloating(p.ParameterType))).Select(_ => $"{type}..ctor"));
        }

        offenders.Should().BeEmpty("money is decimal and metered GB-hours are decimal, never double or float");
    }

    private static bool IsFloating(Type type)
        => type == typeof(double) || type == typeof(float) || type == typeof(Half)
           || type.HasElementType && IsFloating(type.GetElementType()!)
           || type.IsGenericType && type.GetGenericArguments().Any(IsFloating);

    /// <summary>
    /// How Space priced before this calculator: GB-months arrived as a <c>double</c>, were cast to <c>decimal</c>,
    /// and walked the tiers. Kept here only as the reference the figures above must still match.
    /// </summary>
    private static decimal FormerPrice(IReadOnlyList<PriceTier> tiers, double gbMonths)
    {
        var remaining = (decimal)Math.Max(0, gbMonths);
        decimal lower = 0, total = 0;
        foreach (var tier in tiers)
        {
            var width = tier.UpToGbMonths is { } upTo ? upTo - lower : remaining;
            var inTier = Math.Min(remaining, width);
            total += inTier * tier.PricePerGbMonth;
            remaining -= inTier;
            if (remaining <= 0 || tier.UpToGbMonths is null)
            {
                break;
            }

            lower = tier.UpToGbMonths.Value;
        }

        return decimal.Round(total, 2, MidpointRounding.AwayFromZero);
    }
}
