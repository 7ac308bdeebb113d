using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cairn.Cli;

/// <summary>Where commands print: text for people, or one JSON object per line with --json.</summary>
internal sealed class Output(TextWriter stdout, TextWriter stderr, bool json, bool quiet)
{
    public bool Json => json;
    public bool Quiet => quiet;
    public TextWriter Out => stdout;
    public TextWriter Error => stderr;

    /// <summary>A line for people; suppressed in JSON and quiet modes.</summary>
    public void Line(string text)
    {
        if (!json && !quiet)
        {
            stdout.WriteLine(text);
        }
    }

    /// <summary>A result printed even with --quiet (listings).</summary>
    public void Result(string text)
    {
        if (!json)
        {
            stdout.WriteLine(text);
        }
    }

    /// <summary>One JSON object on a line, with its compile-time metadata (usually from <see cref="CliJsonContext.Lines"/>).</summary>
    public void JsonLine<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        stdout.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }

    public void Warning(string text) => stderr.WriteLine(text);

    /// <summary>A snapshot file skipped while resolving "latest", with restic's wording.</summary>
    public void UnreadableSnapshot(Cairn.Repository.Id id, Cairn.Repository.CorruptedDataException error)
        => Warning($"could not load snapshot {id.Short}: {error.Message}");

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        // Go's %.3f (what restic prints) rounds a value exactly halfway to the even digit: 577.8125 KiB is 577.812.
        return unit == 0 ? $"{bytes} B" : $"{Math.Round(value, 3, MidpointRounding.ToEven):0.000} {units[unit]}";
    }
}
