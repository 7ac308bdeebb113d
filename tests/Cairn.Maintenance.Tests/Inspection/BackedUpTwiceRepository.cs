using Cairn.Testing.Processes;
using Cairn.Maintenance.Tests.Forget;

namespace Cairn.Maintenance.Tests.Inspection;

/// <summary>
/// A repository cairn created (cairn init, cairn backup) holding two snapshots of one folder: between them a
/// hard-linked file changed, a folder went away, files and a folder were added, a mode and an mtime changed, a
/// file became a folder, a link was pointed elsewhere and the tail of a multi-chunk file was rewritten.
/// </summary>
public sealed class BackedUpTwiceRepository : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cairn-inspect-").FullName;

    public string RepositoryPath => Path.Combine(Root, "repo");

    public string Source => Path.Combine(Root, "src");

    public string FirstId { get; private set; } = "";

    public string SecondId { get; private set; } = "";

    public byte[] BigFile { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Source, "sub"));
        Directory.CreateDirectory(Path.Combine(Source, "gone"));
        await File.WriteAllTextAsync(Path.Combine(Source, "a.txt"), "one\n");
        await File.WriteAllTextAsync(Path.Combine(Source, "sub", "b.txt"), "two\n");
        await File.WriteAllTextAsync(Path.Combine(Source, "same"), "same\n");
        await File.WriteAllTextAsync(Path.Combine(Source, "meta"), "meta\n");
        await File.WriteAllTextAsync(Path.Combine(Source, "typ"), "x\n");
        await File.WriteAllTextAsync(Path.Combine(Source, "gone", "g"), "g\n");
        BigFile = new byte[3_500_000];
        new Random(7).NextBytes(BigFile);
        await File.WriteAllBytesAsync(Path.Combine(Source, "big"), BigFile);
        await RunAsync("ln", Path.Combine(Source, "a.txt"), Path.Combine(Source, "hard"));
        File.CreateSymbolicLink(Path.Combine(Source, "link"), "a.txt");

        await CheckAsync(ExternalProcess.CairnAsync(RepositoryPath, "init"));
        await CheckAsync(ExternalProcess.CairnAsync(RepositoryPath, "backup", "--host", "inspect", Source));
        FirstId = await LatestAsync();

        await File.WriteAllTextAsync(Path.Combine(Source, "a.txt"), "changed\n");
        Directory.Delete(Path.Combine(Source, "gone"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(Source, "new.txt"), "new\n");
        Directory.CreateDirectory(Path.Combine(Source, "newdir"));
        await File.WriteAllTextAsync(Path.Combine(Source, "newdir", "n"), "n\n");
        await RunAsync("chmod", "600", Path.Combine(Source, "meta"));
        File.SetLastWriteTimeUtc(Path.Combine(Source, "same"), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.Delete(Path.Combine(Source, "typ"));
        Directory.CreateDirectory(Path.Combine(Source, "typ"));
        File.Delete(Path.Combine(Source, "link"));
        File.CreateSymbolicLink(Path.Combine(Source, "link"), "sub");
        BigFile[^10] ^= 0xff;
        await File.WriteAllBytesAsync(Path.Combine(Source, "big"), BigFile);
        await CheckAsync(ExternalProcess.CairnAsync(RepositoryPath, "backup", "--host", "inspect", Source));
        SecondId = await LatestAsync();
    }

    private async Task<string> LatestAsync()
    {
        var listing = await CheckAsync(ExternalProcess.CairnAsync(RepositoryPath, "snapshots", "--json"));
        using var document = System.Text.Json.JsonDocument.Parse(listing.Stdout);
        return document.RootElement.EnumerateArray().Last().GetProperty("id").GetString()!;
    }

    private static async Task<ProgramResult> CheckAsync(Task<ProgramResult> run)
    {
        var result = await run;
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"exit {result.ExitCode}: {result.Stderr}");
    }

    private static async Task RunAsync(string program, params string[] arguments) => await CheckAsync(ExternalProcess.RunAsync(program, arguments));

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
