using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>A scratch folder with a repository path in it, and cairn and restic pointed at that repository.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace(string prefix)
    {
        Scratch = new Scratch(prefix);
        Repository = Scratch.Combine("repo");
        Cairn = new CairnCli(Repository);
        Restic = new ResticCli(Repository);
    }

    public Scratch Scratch { get; }

    public string Repository { get; }

    public CairnCli Cairn { get; }

    public ResticCli Restic { get; }

    /// <summary>Builds the point-5 sample tree at scratch/source; returns its path and how many file names it has.</summary>
    /// <param name="seed">Seeds the tree's bytes and times.</param>
    /// <param name="small">Makes large.bin small, for tests that are not about files of many chunks.</param>
    public (RawPath Path, int Files) BuildSample(int seed, bool small = false)
    {
        var source = Scratch.Raw.Join("source"u8);
        var files = SampleSource.Build(source, seed, small ? 100_000 : SampleSource.LargeFileSize);
        return (source, files);
    }

    /// <summary>cairn init with the given extra arguments; fails the test when it fails.</summary>
    public async Task InitAsync(params string[] arguments) => (await Cairn.RunAsync(["init", .. arguments])).ShouldSucceed();

    /// <summary>cairn backup --json; returns the summary line after checking the run succeeded.</summary>
    public async Task<System.Text.Json.JsonElement> BackUpAsync(params string[] arguments) =>
        (await Cairn.RunAsync(["--json", "backup", .. arguments])).ShouldSucceed().Message("summary");

    /// <summary>Where a snapshot of <paramref name="source"/> restored into <paramref name="target"/> puts it.</summary>
    public static RawPath Restored(string target, RawPath source) => RawPath.FromString(target + source);

    public void Dispose() => Scratch.Dispose();
}
