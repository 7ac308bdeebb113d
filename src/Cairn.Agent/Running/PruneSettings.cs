using System.Globalization;
using Cairn.Agent.Protocol;
using Cairn.Maintenance.Prune;

namespace Cairn.Agent.Running;

/// <summary>A plan's prune settings as the engine's options; <c>maxUnused</c> is a percentage (<c>5%</c>) or <c>unlimited</c>, as <c>cairn prune</c> takes it.</summary>
public static class PruneSettings
{
    public static PruneOptions Options(PruneDocument? prune)
    {
        var text = prune?.MaxUnused ?? "5%";
        if (text == "unlimited")
        {
            return new PruneOptions { MaxUnusedPercent = double.MaxValue };
        }

        return text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent >= 0
            ? new PruneOptions { MaxUnusedPercent = percent }
            : throw new RunFailedException($"prune.maxUnused \"{text}\" is not a percentage such as 5% or \"unlimited\"");
    }
}
