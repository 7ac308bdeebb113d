using System.Globalization;
using System.Net;
using System.Text;
using Cairn.Space.Web.Formatting;

namespace Cairn.Space.Web.Charts;

/// <summary>
/// A task's storage over time as an SVG drawn on the server: a line through every usage sample (a point each, up to
/// <see cref="MaxMarkers"/>), held level to now, where the time axis ends, over labelled axes in human units. Tick
/// labels carry their moment in <c>data-at</c> so the page's script can rewrite them in the viewer's time zone, and
/// hide every other one where a narrow screen would make them collide.
/// </summary>
public static class UsageChart
{
    public const int Width = 720;
    public const int Height = 280;
    public const int MaxMarkers = 120;
    private const int MaxPlotted = 600;
    private const double Left = 76, Right = 20, Top = 44, Bottom = 56;

    public static string Render(IReadOnlyList<UsagePointView> samples, DateTimeOffset createdAt, DateTimeOffset now, string title)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var points = Thin(samples.OrderBy(s => s.At).ToList());
        // The chart ends at now (or the last sample, should a clock lag), never ahead of it; a young task gets an hour back.
        var end = points.Count > 0 && points[^1].At > now ? points[^1].At : now;
        var start = new[] { createdAt, end - TimeSpan.FromHours(1) }.Min();
        var bytes = ChartScales.BytesAxis(points.Count == 0 ? 0 : points.Max(p => p.Bytes));
        var time = ChartScales.TimeAxis(start, end);

        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(DateTimeOffset at) => Left + (at - start).Ticks / (double)(end - start).Ticks * plotWidth;
        double Y(long value) => Top + plotHeight - value / (double)Math.Max(1, bytes.Top) * plotHeight;

        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"usage-chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" preserveAspectRatio=\"xMidYMid meet\">");
        svg.Append("<title id=\"chart-title\">").Append(Encode(title)).Append("</title>");
        svg.Append("<desc id=\"chart-desc\">").Append(Encode(Describe(points, start))).Append("</desc>");

        svg.Append("<g class=\"grid\">");
        foreach (var tick in bytes.Ticks)
        {
            var y = Y(tick.Bytes);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left:0.#}\" x2=\"{Width - Right:0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
        }

        svg.Append("</g><g class=\"axis y-axis\">");
        foreach (var tick in bytes.Ticks)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Left - 8:0.#}\" y=\"{Y(tick.Bytes) + 4:0.#}\" text-anchor=\"end\" data-bytes=\"{tick.Bytes}\">{Encode(tick.Label)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture,
            $"<text class=\"axis-title\" x=\"8\" y=\"{Top - 24:0.#}\" text-anchor=\"start\">Stored</text>"); // above the axis: clear of its top label at any width
        svg.Append("</g><g class=\"axis x-axis\">");
        svg.Append(CultureInfo.InvariantCulture,
            $"<line class=\"baseline\" x1=\"{Left:0.#}\" x2=\"{Width - Right:0.#}\" y1=\"{Top + plotHeight:0.#}\" y2=\"{Top + plotHeight:0.#}\"/>");
        foreach (var tick in time.Ticks)
        {
            var x = X(tick);
            var label = time.Format == "time"
                ? tick.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)
                : tick.UtcDateTime.ToString("d MMM", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"tick\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{Top + plotHeight:0.#}\" y2=\"{Top + plotHeight + 5:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x:0.#}\" y=\"{Top + plotHeight + 22:0.#}\" text-anchor=\"middle\" data-at=\"{HumanTime.Iso(tick)}\" data-format=\"{time.Format}\">{label}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture,
            $"<text class=\"axis-title\" x=\"{Left + plotWidth / 2:0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\" data-zone-title=\"Time\">Time (UTC)</text>");
        svg.Append("</g>");

        if (points.Count > 0)
        {
            var line = new StringBuilder();
            foreach (var p in points)
            {
                line.Append(line.Length == 0 ? 'M' : 'L').Append(CultureInfo.InvariantCulture, $"{X(p.At):0.#} {Y(p.Bytes):0.#} ");
            }

            line.Append(CultureInfo.InvariantCulture, $"L{X(end):0.#} {Y(points[^1].Bytes):0.#}");
            var area = string.Create(CultureInfo.InvariantCulture, $"{line} L{X(end):0.#} {Y(0):0.#} L{X(points[0].At):0.#} {Y(0):0.#} Z");
            svg.Append("<path class=\"area\" d=\"").Append(area).Append("\"/>");
            svg.Append("<path class=\"line\" d=\"").Append(line).Append("\"/>");
            if (points.Count <= MaxMarkers)
            {
                svg.Append("<g class=\"points\">");
                foreach (var p in points)
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<circle class=\"point\" cx=\"{X(p.At):0.#}\" cy=\"{Y(p.Bytes):0.#}\" r=\"4\" data-at=\"{HumanTime.Iso(p.At)}\" data-bytes=\"{p.Bytes}\">");
                    svg.Append("<title>").Append(Encode($"{HumanTime.Utc(p.At)}: {HumanBytes.Format(p.Bytes)}")).Append("</title></circle>");
                }

                svg.Append("</g>");
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Long histories keep the largest sample of each of <see cref="MaxPlotted"/> time slices, and the last one.</summary>
    private static List<UsagePointView> Thin(List<UsagePointView> sorted)
    {
        if (sorted.Count <= MaxPlotted)
        {
            return sorted;
        }

        var first = sorted[0].At;
        var slice = (sorted[^1].At - first).Ticks / MaxPlotted + 1;
        var thinned = sorted.GroupBy(p => (p.At - first).Ticks / slice)
            .Select(g => g.MaxBy(p => p.Bytes)!)
            .ToList();
        if (thinned[^1] != sorted[^1])
        {
            thinned.Add(sorted[^1]);
        }

        return thinned;
    }

    private static string Describe(IReadOnlyList<UsagePointView> points, DateTimeOffset start)
    {
        if (points.Count == 0)
        {
            return $"No usage recorded since {HumanTime.Utc(start)}.";
        }

        var last = points[^1];
        var peak = points.MaxBy(p => p.Bytes)!;
        return $"{points.Count} samples from {HumanTime.Utc(points[0].At)} to {HumanTime.Utc(last.At)}; " +
               $"now {HumanBytes.Format(last.Bytes)}, at most {HumanBytes.Format(peak.Bytes)}.";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>One usage sample: stored bytes at a moment.</summary>
public sealed record UsagePointView(DateTimeOffset At, long Bytes);
