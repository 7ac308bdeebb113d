namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>
/// How much each scenario does, from the environment: the defaults are the short variant of the default test
/// run; <c>tests/robustness/run.sh</c> sets the long counts of issue 12 point 10. The seed makes a failing run
/// repeatable (it is printed in every failure message).
/// </summary>
public static class RobustnessSettings
{
    /// <summary>Kills per operation (backup, forget, prune) per backend (local, REST).</summary>
    public static int KillsPerOperation => Count("CAIRN_ROBUSTNESS_KILLS", 1);

    /// <summary>Byte flips over all file kinds (pack, index, snapshot, key), spread evenly.</summary>
    public static int Flips => Count("CAIRN_ROBUSTNESS_FLIPS", 8);

    /// <summary>Backup-against-prune races.</summary>
    public static int Races => Count("CAIRN_ROBUSTNESS_RACES", 1);

    /// <summary>Times Space is killed during concurrent uploads.</summary>
    public static int SpaceCrashes => Count("CAIRN_ROBUSTNESS_SPACE_CRASHES", 1);

    public static int Seed { get; } = Environment.GetEnvironmentVariable("CAIRN_ROBUSTNESS_SEED") is { } text && int.TryParse(text, out var seed)
        ? seed
        : Random.Shared.Next();

    /// <summary>A random source for one scenario, derived from the run's seed and the scenario's name.</summary>
    /// <summary>What reproduces a failed run, for failure messages.</summary>
    public static string Note => $"seed {Seed}";

    public static Random RandomFor(string scenario) => new(Seed ^ StableHash(scenario));

    private static int Count(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { } text && int.TryParse(text, out var n) && n >= 0 ? n : fallback;

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked(hash * 31 + c);
        }

        return hash;
    }
}
