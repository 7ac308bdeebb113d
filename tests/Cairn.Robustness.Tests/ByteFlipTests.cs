using System.Text.Json;
using Cairn.Repository.Format;
using Cairn.Repository.Json;
using Cairn.Robustness.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Robustness.Tests;

/// <summary>
/// Point 10 (b): one random byte of a pack, index, snapshot or key file changed in a fresh copy of a repository.
/// Every byte of a pack, index and snapshot file is under a MAC (blobs and the pack header are sealed, the header's
/// length is checked against the sealed header), so <c>cairn check --read-data</c> must fail and name the file. A key
/// file is JSON in the clear around a sealed master key: a change to the sealed data, the salt or the scrypt
/// parameters must make opening fail with a clear error; a change to the unsealed labels (created, username,
/// hostname) is harmless by design and the repository must still check clean.
/// </summary>
public sealed class ByteFlipTests
{
    private static readonly (string Kind, string Folder)[] Kinds = [("pack", "data"), ("index", "index"), ("snapshot", "snapshots"), ("key", "keys")];

    [Fact]
    public async Task Every_flipped_byte_in_pack_index_snapshot_and_key_files_is_found_and_the_file_named()
    {
        using var scratch = new Scratch("cairn-robust-flip-");
        var random = RobustnessSettings.RandomFor("flip");
        var original = scratch.Combine("original");
        var repo = new TestRepository(original, scratch.Path);
        var tree = new SourceTree(scratch.Combine("source"), random);
        (await repo.CairnAsync("init")).EnsureSuccess(RobustnessSettings.Note);
        tree.Create(files: 30, largeBytes: 1 << 20);
        (await repo.CairnAsync(repo.BackupArguments(tree.Root, 0))).EnsureSuccess(RobustnessSettings.Note);
        tree.Change(1 << 20);
        (await repo.CairnAsync(repo.BackupArguments(tree.Root, 1))).EnsureSuccess(RobustnessSettings.Note);
        (await repo.CairnAsync("check", "--read-data")).EnsureSuccess(RobustnessSettings.Note);

        var found = Kinds.ToDictionary(k => k.Kind, _ => 0);
        var harmless = 0;
        var problems = new List<string>();
        for (var i = 0; i < RobustnessSettings.Flips; i++)
        {
            var (kind, folder) = Kinds[i % Kinds.Length];
            var copy = scratch.Combine("copy-" + i);
            CopyFolder(original, copy);
            var files = Directory.GetFiles(Path.Combine(copy, folder), "*", SearchOption.AllDirectories);
            var file = files[random.Next(files.Length)];
            var before = File.ReadAllBytes(file);
            var offset = random.Next(before.Length);
            var after = (byte[])before.Clone();
            after[offset] ^= (byte)random.Next(1, 256);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllBytes(file, after);

            var name = Path.GetFileName(file);
            var check = await new TestRepository(copy, scratch.Path).CairnAsync("check", "--read-data");
            var said = check.Stdout + check.Stderr;
            var what = $"{kind} {name} byte {offset} of {before.Length} (0x{before[offset]:x2} -> 0x{after[offset]:x2})";
            if (kind == "key" && SealedPartsEqual(before, after))
            {
                harmless++;
                if (check.ExitCode != 0)
                {
                    problems.Add($"{what} changed only an unsealed label, yet check failed: {check}");
                }
            }
            else if (check.ExitCode == 0)
            {
                problems.Add($"{what} was not found: {check}");
            }
            else if (!said.Contains(name, StringComparison.Ordinal) && !(kind == "key" && check.ExitCode == 12))
            {
                problems.Add($"{what} was found but the file was not named: {check}");
            }
            else if (said.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase) || said.Contains("   at ", StringComparison.Ordinal))
            {
                problems.Add($"{what} ended in a stack trace, not a clear message: {check}");
            }
            else
            {
                found[kind]++;
            }

            Directory.Delete(copy, recursive: true);
        }

        Figures.Record("flip", new Dictionary<string, object>
        {
            ["flips"] = RobustnessSettings.Flips,
            ["foundAndNamed"] = found,
            ["keyLabelFlipsHarmless"] = harmless,
            ["failures"] = problems.Count,
        });
        problems.Should().BeEmpty($"seed {RobustnessSettings.Seed}");
    }

    /// <summary>
    /// True when a key file still parses after the change and every field the password or MAC depends on is the
    /// same: the flip hit a label or an ignored bit of base64 padding.
    /// </summary>
    private static bool SealedPartsEqual(byte[] before, byte[] after)
    {
        KeyFile a, b;
        try
        {
            a = RepositoryJson.Deserialize<KeyFile>(before, "key");
            b = RepositoryJson.Deserialize<KeyFile>(after, "key");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            return false;
        }

        return a.Kdf == b.Kdf && a.N == b.N && a.R == b.R && a.P == b.P
            && a.Salt.AsSpan().SequenceEqual(b.Salt) && a.Data.AsSpan().SequenceEqual(b.Data);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var folder in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, folder)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
