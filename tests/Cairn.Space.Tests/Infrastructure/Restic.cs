using Cairn.Testing.Processes;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>The real restic binary, run against a repository URL with a fixed test password (and, for s3:, credentials in <paramref name="environment"/>).</summary>
public sealed class Restic(string repositoryUrl, IReadOnlyDictionary<string, string>? environment = null)
{
    public const string Password = "space test password";

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public Result EnsureSuccess()
            => ExitCode == 0 ? this : throw new InvalidOperationException($"restic failed ({ExitCode}):\n{Output}\n{Error}");
    }

    public async Task<Result> RunAsync(params string[] arguments)
    {
        var result = await Programs.RunAsync(Start(arguments), TestContext.Current.CancellationToken);
        return new Result(result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>Runs restic until its error output shows <paramref name="expected"/>, then stops it; returns that output.</summary>
    public async Task<string> RunUntilErrorShowsAsync(string expected, params string[] arguments)
    {
        await using var restic = RunningProgram.Start(Start(arguments));
        await restic.WaitForOutputAsync(expected, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        restic.KillHard();
        return (await restic.Completion).Stderr;
    }

    private ProgramStart Start(string[] arguments)
    {
        var variables = new Dictionary<string, string?> { ["RESTIC_PASSWORD"] = Password };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return ProgramStart.Of("restic", ["--no-cache", "-r", repositoryUrl, .. arguments]) with { Environment = variables };
    }
}

/// <summary>Source trees to back up and the comparison of what comes back.</summary>
public static class Trees
{
    /// <summary>A new folder under <paramref name="parent"/> (a test Space's data folder, removed with it).</summary>
    public static string NewTemp(string parent)
    {
        var path = Path.Combine(parent, "trees", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static string MakeSource(string parent, int bigFileBytes)
    {
        var root = NewTemp(parent);
        File.WriteAllBytes(Path.Combine(root, "big.bin"), Objects.Random(bigFileBytes));
        Directory.CreateDirectory(Path.Combine(root, "docs", "notes"));
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(Path.Combine(root, "docs", $"file{i}.txt"), $"document {i} {Guid.NewGuid()}");
        }

        File.WriteAllBytes(Path.Combine(root, "docs", "notes", "empty.txt"), []);
        return root;
    }

    /// <summary>Relative path and content hash of every file under a folder.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(root, file)] = Objects.NameOf(File.ReadAllBytes(file));
        }

        return files;
    }

    /// <summary>Where restic restores an absolute source path inside a target folder.</summary>
    public static string Restored(string target, string source) => Path.Combine(target, source.TrimStart('/'));
}
