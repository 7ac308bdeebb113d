using System.Diagnostics;
using System.Globalization;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;
using Cairn.Testing.Servers;

namespace Cairn.Cli.Tests;

/// <summary>
/// Issue 15, item 3: <c>cairn backup</c> killed with SIGKILL half way, then run again, reuses the packs the killed run
/// stored instead of uploading them again, to a local repository and through a REST server (rclone serve restic).
/// Bytes are the growth of the repository's data folder on disk (packs are encrypted with random IVs, so a pack
/// uploaded again is a new file). The corpus is 200 MB; CAIRN_TEST_RESUME_MB=500 runs issue 15's 500 MB.
/// </summary>
public sealed class ResumedBackupTests : IDisposable
{
    private static readonly long CorpusBytes =
        (long.TryParse(Environment.GetEnvironmentVariable("CAIRN_TEST_RESUME_MB"), CultureInfo.InvariantCulture, out var mb) && mb > 0 ? mb : 200) * 1_000_000;

    private const long PackSize = 16 * 1024 * 1024;

    private readonly Scratch _scratch = new("cairn-resume-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_local_backup_killed_half_way_uploads_less_than_half_again()
    {
        var fresh = _scratch.Combine("fresh");
        var resumed = _scratch.Combine("resumed");

        await KillAndResumeAsync(new CairnCli(fresh), fresh, new CairnCli(resumed), new ResticCli(resumed), resumed, partialUploads: 0);
    }

    [Fact]
    public async Task A_rest_backup_killed_half_way_uploads_less_than_half_again()
    {
        await using var server = await RcloneServer.StartAsync(TestContext.Current.CancellationToken);
        var fresh = server.NewRepositoryLocation();
        var resumed = server.NewRepositoryLocation();

        // rclone writes an upload in place under its final name (and removes it when the upload breaks off), so the
        // data folder also counts the packs in flight: two at most (cairn's default upload concurrency).
        await KillAndResumeAsync(new CairnCli(fresh), server.FolderOf(fresh), new CairnCli(resumed), new ResticCli(resumed), server.FolderOf(resumed), partialUploads: 2 * PackSize);
    }

    private async Task KillAndResumeAsync(CairnCli freshCli, string freshFolder, CairnCli resumedCli, ResticCli restic, string resumedFolder, long partialUploads)
    {
        var corpus = _scratch.Combine("corpus");
        IncompressibleCorpus.Build(corpus, CorpusBytes, seed: 15);
        (await freshCli.RunAsync("init")).ShouldSucceed();
        (await freshCli.RunAsync("backup", corpus)).ShouldSucceed();
        var fullBackup = PackBytes(freshFolder);

        (await resumedCli.RunAsync("init")).ShouldSucceed();
        // A little over half in complete packs, so that reusing exactly what was stored gets under half; the packs
        // being filled and uploaded at the kill are lost either way.
        var killed = await KillHalfWayAsync(resumedCli, corpus, resumedFolder, (fullBackup * 55 / 100) + partialUploads);
        var beforeResume = PackBytes(resumedFolder);
        (await resumedCli.RunAsync("backup", corpus)).ShouldSucceed();
        var uploadedByResume = PackBytes(resumedFolder) - beforeResume;

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"corpus {CorpusBytes:N0} B; fresh full backup {fullBackup:N0} B; killed run stored {beforeResume:N0} B; resumed run uploaded {uploadedByResume:N0} B");
        killed.ExitCode.Should().NotBe(0, "the first run was killed before it finished");

        // The killed run's lock stays, as restic leaves it; restic's check wants an exclusive lock, so it is removed
        // first, as a restic user would after a crash (unlock removes only stale locks).
        (await resumedCli.RunAsync("unlock")).ShouldSucceed();
        (await restic.RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
        (await restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout.Should().Contain(corpus, "the resumed run's snapshot");
        var target = _scratch.Combine("restored");
        (await resumedCli.RunAsync("restore", "latest", "--target", target)).ShouldSucceed();
        TreeComparer.Differences(RawPath.FromString(corpus), Workspace.Restored(target, RawPath.FromString(corpus))).Should().BeEmpty();
        uploadedByResume.Should().BeLessThan(fullBackup / 2, "the packs the killed run stored are reused, not uploaded again");
    }

    /// <summary>Starts a backup and sends it SIGKILL once the repository's data folder holds <paramref name="killAt"/> bytes.</summary>
    private static async Task<ProgramResult> KillHalfWayAsync(CairnCli cairn, string corpus, string folder, long killAt)
    {
        var backup = ProgramRunner.Start(CairnCli.Program, CairnCli.Arguments(["-r", cairn.Repository, "backup", corpus]), cairn.Environment,
            cancellationToken: TestContext.Current.CancellationToken);
        while (PackBytes(folder) < killAt && !backup.Completion.IsCompleted)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        backup.Completion.IsCompleted.Should().BeFalse("the backup must still run when half its bytes are stored, to be killed");
        using (var process = Process.GetProcessById(backup.Id))
        {
            process.Kill();
        }

        var result = await backup.Completion;
        Directory.EnumerateFiles(Path.Combine(folder, "snapshots")).Should().BeEmpty("the killed run wrote no snapshot");
        return result;
    }

    /// <summary>Bytes of the pack files in a repository's data folder (names of 64 hex digits; temporary files left out).</summary>
    private static long PackBytes(string repositoryFolder)
    {
        var data = Path.Combine(repositoryFolder, "data");
        if (!Directory.Exists(data))
        {
            return 0;
        }

        long total = 0;
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file).Length == 64)
            {
                try
                {
                    total += new FileInfo(file).Length;
                }
                catch (FileNotFoundException)
                {
                }
            }
        }

        return total;
    }
}
