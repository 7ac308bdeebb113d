using Cairn.Testing.Trees;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// The real Space process, as an operator starts it, on settings it must refuse: run to its end (a minute at most; a
/// Space that starts anyway times out). Not the test host: there a failed start races the host's disposal, and which
/// exception surfaced first was luck (seen in CI: "Cannot access a disposed object").
/// </summary>
public static class RefusedStart
{
    /// <summary>Starts Space with <paramref name="settings"/> (configuration keys, as environment variables) on an empty data folder.</summary>
    public static async Task<ProgramResult> RunAsync(IReadOnlyDictionary<string, string?> settings)
    {
        using var data = new Scratch("cairn-space-bad-settings-");
        var environment = new Dictionary<string, string?>
        {
            ["Space__DataPath"] = data.Path,
            ["ConnectionStrings__Space"] = "",
        };
        foreach (var (name, value) in settings)
        {
            environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var start = ProgramStart.Of("dotnet", Path.Combine(AppContext.BaseDirectory, "Cairn.Space.dll"), "--urls", "http://127.0.0.1:0") with
        {
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = environment,
            Timeout = TimeSpan.FromMinutes(1),
        };
        return await Programs.RunAsync(start, TestContext.Current.CancellationToken);
    }
}
