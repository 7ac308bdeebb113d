using System.Text.Json;

namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>
/// One repository the tier works on (a local folder or a REST URL), with the source states its snapshots were made
/// from: each backup is tagged <c>g&lt;n&gt;</c> with the number of the state it saw, so every snapshot can be
/// restored and compared with exactly that state.
/// </summary>
public sealed class TestRepository(string location, string scratch)
{
    public const string Password = "robustness tier password";

    private readonly Dictionary<int, SortedDictionary<string, string>> _states = [];
    private int _restores;

    public string Location { get; } = location;

    /// <summary>How many snapshots <see cref="VerifyAsync"/> has restored and compared so far.</summary>
    public int Restores => _restores;

    public IReadOnlyDictionary<string, string> CairnEnvironment { get; } = new Dictionary<string, string>
    {
        ["CAIRN_PASSWORD"] = Password,
        ["CAIRN_TEST_KDF"] = "fast",
    };

    public IReadOnlyDictionary<string, string> ResticEnvironment { get; } = new Dictionary<string, string> { ["RESTIC_PASSWORD"] = Password };

    /// <summary>Remembers the source's state <paramref name="generation"/>; a backup tagged with it must restore to it.</summary>
    public void RecordState(int generation, SortedDictionary<string, string> state) => _states[generation] = state;

    public static string Tag(int generation) => "g" + generation;

    public RunningProgram StartCairn(params string[] arguments) => ScenarioPrograms.Start(ScenarioPrograms.Cairn, ["-r", Location, .. arguments], CairnEnvironment);

    public Task<ProgramResult> CairnAsync(params string[] arguments) => ScenarioPrograms.RunAsync(ScenarioPrograms.Cairn, ["-r", Location, .. arguments], CairnEnvironment);

    public Task<ProgramResult> ResticAsync(params string[] arguments) => ScenarioPrograms.RunAsync("restic", ["--no-cache", "-r", Location, .. arguments], ResticEnvironment);

    /// <summary>A backup of <paramref name="source"/> tagged with its state's number.</summary>
    public string[] BackupArguments(string source, int generation) => ["backup", source, "--tag", Tag(generation), "--host", "robustness"];

    /// <summary>The snapshots restic sees, with the state number each was tagged with.</summary>
    public async Task<List<(string Id, int Generation)>> SnapshotsAsync()
    {
        var listed = (await ResticAsync("snapshots", "--json")).EnsureSuccess(RobustnessSettings.Note);
        using var document = JsonDocument.Parse(listed.Stdout);
        var snapshots = new List<(string, int)>();
        foreach (var snapshot in document.RootElement.EnumerateArray())
        {
            var tag = snapshot.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Single(t => t.StartsWith('g'));
            snapshots.Add((snapshot.GetProperty("id").GetString()!, int.Parse(tag[1..], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return snapshots;
    }

    /// <summary>
    /// restic (the independent judge) removes stale locks, checks the repository, then restores every snapshot, each compared file by file
    /// and byte for byte with the state it was made from. Returns what went wrong, or nothing.
    /// </summary>
    public async Task<List<string>> VerifyAsync(string source, bool readData)
    {
        var problems = new List<string>();
        // restic 0.14 does not step over the lock of a killed process; its `unlock` removes only stale locks (a
        // live holder's lock would stay and the check below would fail), as a user does after a crash.
        var unlock = await ResticAsync("unlock");
        if (unlock.ExitCode != 0)
        {
            problems.Add("restic unlock failed: " + unlock);
            return problems;
        }

        var check = readData ? await ResticAsync("check", "--read-data") : await ResticAsync("check");
        if (check.ExitCode != 0)
        {
            problems.Add("restic check failed: " + check);
            return problems;
        }

        foreach (var (id, generation) in await SnapshotsAsync())
        {
            var target = Path.Combine(scratch, "restore-" + _restores++);
            var restored = await ResticAsync("restore", id, "--target", target);
            if (restored.ExitCode != 0)
            {
                problems.Add($"restic restore {id} failed: {restored}");
                continue;
            }

            if (!_states.TryGetValue(generation, out var expected))
            {
                problems.Add($"snapshot {id} is tagged with state {generation}, which no backup was started on");
                continue;
            }

            var root = Path.Combine(target, source.TrimStart('/'));
            var differences = SourceTree.Differences(expected, SourceTree.Describe(root));
            if (differences.Count > 0)
            {
                problems.Add($"snapshot {id} (state {generation}) does not restore to its source: " + string.Join("; ", differences.Take(10)));
            }

            Directory.Delete(target, recursive: true);
        }

        return problems;
    }
}
