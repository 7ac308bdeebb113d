using System.Text.Json;

namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>
/// What a scenario did, appended as one JSON line to the file <c>CAIRN_ROBUSTNESS_RESULTS</c> names (run.sh
/// turns the lines into the table of docs/reliability.md); nothing is written when it is unset.
/// </summary>
public static class Figures
{
    private static readonly Lock Gate = new();

    public static void Record(string scenario, IReadOnlyDictionary<string, object> figures)
    {
        var path = Environment.GetEnvironmentVariable("CAIRN_ROBUSTNESS_RESULTS");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var line = JsonSerializer.Serialize(new Dictionary<string, object>(figures) { ["scenario"] = scenario, ["seed"] = RobustnessSettings.Seed });
        lock (Gate)
        {
            File.AppendAllText(path, line + "\n");
        }
    }
}
