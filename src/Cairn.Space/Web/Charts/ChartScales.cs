namespace Cairn.Space.Web.Charts;

/// <summary>Round tick values for a chart's axes: bytes in one decimal unit, moments on whole minutes, hours or days.</summary>
public static class ChartScales
{
    private static readonly string[] ByteUnits = ["B", "kB", "MB", "GB", "TB", "PB"];

    private static readonly TimeSpan[] TimeSteps =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
        TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(28),
        TimeSpan.FromDays(91), TimeSpan.FromDays(182), TimeSpan.FromDays(364),
    ];

    /// <summary>
    /// Ticks from zero to at least <paramref name="maxBytes"/> in steps of 1, 2, 2.5 or 5 times a power of ten of
    /// one unit, about four of them; an empty task gets an axis up to 1 kB.
    /// </summary>
    public static ByteAxis BytesAxis(long maxBytes)
    {
        var max = Math.Max(maxBytes, 1000);
        var unitIndex = 0;
        double unitSize = 1;
        while (unitIndex < ByteUnits.Length - 1 && max >= unitSize * 1000)
        {
            unitSize *= 1000;
            unitIndex++;
        }

        var range = max / unitSize;
        var rough = range / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var residual = rough / magnitude;
        var step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10) * magnitude;
        if (unitIndex == 0)
        {
            step = Math.Max(1, Math.Round(step));
        }

        var count = (int)Math.Ceiling(range / step - 1e-9);
        var ticks = new List<ByteTick>(count + 1);
        for (var i = 0; i <= count; i++)
        {
            var value = i * step;
            ticks.Add(new ByteTick((long)Math.Round(value * unitSize), Formatting.HumanBytes.Number(value) + " " + ByteUnits[unitIndex]));
        }

        return new ByteAxis(ticks[^1].Bytes, ticks);
    }

    /// <summary>At most <paramref name="maxTicks"/> ticks on whole steps (counted from the Unix epoch in UTC) within the range.</summary>
    public static TimeAxis TimeAxis(DateTimeOffset from, DateTimeOffset to, int maxTicks = 6)
    {
        var span = to - from;
        var step = TimeSteps.FirstOrDefault(s => span / s <= maxTicks, TimeSteps[^1]);
        var stepTicks = step.Ticks;
        var epoch = DateTimeOffset.UnixEpoch.UtcTicks;
        var first = (from.UtcTicks - epoch + stepTicks - 1) / stepTicks * stepTicks + epoch;
        var ticks = new List<DateTimeOffset>();
        for (var t = first; t <= to.UtcTicks; t += stepTicks)
        {
            ticks.Add(new DateTimeOffset(t, TimeSpan.Zero));
        }

        return new TimeAxis(step, ticks, step < TimeSpan.FromDays(1) ? "time" : "date");
    }
}

public sealed record ByteTick(long Bytes, string Label);

/// <summary>The byte axis runs from zero to <see cref="Top"/>.</summary>
public sealed record ByteAxis(long Top, IReadOnlyList<ByteTick> Ticks);

/// <summary><see cref="Format"/> says how tick labels are written: <c>time</c> (HH:mm) or <c>date</c> (d MMM).</summary>
public sealed record TimeAxis(TimeSpan Step, IReadOnlyList<DateTimeOffset> Ticks, string Format);
