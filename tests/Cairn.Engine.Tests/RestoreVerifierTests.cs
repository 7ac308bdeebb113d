using Cairn.Testing.Trees;
using Cairn.Platform;
using Cairn.Restore;

namespace Cairn.Engine.Tests;

/// <summary>The verifier after a restore: raw byte names, link targets as bytes and hard links, and every difference named.</summary>
public sealed class RestoreVerifierTests : IDisposable
{
    private static readonly byte[] NonUtf8Target = [.. "to-"u8, 0xff, .. "-there"u8];

    private readonly Scratch _scratch = new("cairn-verifier-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_restore_of_non_utf8_names_links_and_hard_links_verifies_as_equal()
    {
        var (engine, tree, restored) = await RestoreSampleAsync();
        await using var _ = engine;

        var verified = await engine.VerifyAsync(tree, _scratch.Combine("target"), HostSafety.ForeignSnapshot, Ct);

        verified.Files.Should().BeGreaterThan(5);
        verified.Directories.Should().BeGreaterThan(2);
        PosixFileSystem.ReadLink(restored.Join("odd-link"u8)).Should().Equal(NonUtf8Target);
    }

    [Fact]
    public async Task A_file_missing_from_a_folder_with_a_non_utf8_name_is_named()
    {
        var (engine, tree, restored) = await RestoreSampleAsync();
        await using var _ = engine;
        PosixFileSystem.Remove(restored.Join(SampleSource.NonUtf8Name));

        var verify = () => engine.VerifyAsync(tree, _scratch.Combine("target"), HostSafety.ForeignSnapshot, Ct);

        (await verify.Should().ThrowAsync<RestoreVerificationException>()).Which.Message.Should().Contain("was not restored").And.Contain("bad-");
    }

    [Fact]
    public async Task A_link_whose_target_bytes_differ_is_a_difference()
    {
        var (engine, tree, restored) = await RestoreSampleAsync();
        await using var _ = engine;
        PosixFileSystem.Remove(restored.Join("odd-link"u8));
        PosixFileSystem.CreateSymlink([.. "to-"u8, 0xfe, .. "-there"u8], restored.Join("odd-link"u8));

        var verify = () => engine.VerifyAsync(tree, _scratch.Combine("target"), HostSafety.ForeignSnapshot, Ct);

        (await verify.Should().ThrowAsync<RestoreVerificationException>()).Which.Message.Should().Contain("odd-link should be a link to");
    }

    [Fact]
    public async Task A_hard_link_restored_as_a_separate_copy_is_a_difference()
    {
        var (engine, tree, restored) = await RestoreSampleAsync();
        await using var _ = engine;
        var second = restored.Join("linked-second"u8);
        var content = File.ReadAllBytes(second.ToString());
        PosixFileSystem.Remove(second);
        using (var handle = PosixFileSystem.CreateFile(second, 0x180))
        {
            RandomAccess.Write(handle, content, 0);
        }

        var verify = () => engine.VerifyAsync(tree, _scratch.Combine("target"), HostSafety.ForeignSnapshot, Ct);

        (await verify.Should().ThrowAsync<RestoreVerificationException>()).Which.Message.Should().Contain("hard link");
    }

    [Fact]
    public async Task Changed_content_and_an_extra_entry_are_differences()
    {
        var (engine, tree, restored) = await RestoreSampleAsync();
        await using var _ = engine;
        var target = _scratch.Combine("target");
        using (var handle = PosixFileSystem.OpenWrite(restored.Join("linked-first"u8)))
        {
            RandomAccess.Write(handle, "X"u8, 0);
        }

        var changed = () => engine.VerifyAsync(tree, target, HostSafety.ForeignSnapshot, Ct);
        (await changed.Should().ThrowAsync<RestoreVerificationException>()).Which.Message.Should().Contain("does not match the snapshot");

        using (var handle = PosixFileSystem.OpenWrite(restored.Join("linked-first"u8)))
        {
            RandomAccess.Write(handle, "s"u8, 0);
        }

        PosixFileSystem.CreateFile(restored.Join([0x80, .. "planted"u8]), 0x180).Dispose();
        var extra = () => engine.VerifyAsync(tree, target, HostSafety.ForeignSnapshot, Ct);
        (await extra.Should().ThrowAsync<RestoreVerificationException>()).Which.Message.Should().Contain("planted was restored but is not in the snapshot");
    }

    /// <summary>Backs up a tree with non-UTF-8 names, links (one to a non-UTF-8 target) and hard links, and restores it under the foreign policy.</summary>
    private async Task<(EngineHarness Engine, Repository.Id Tree, RawPath Restored)> RestoreSampleAsync()
    {
        var source = _scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        var meta = new EntryMetadata { Permissions = 0x1A4 };
        tree.File(source.Join(SampleSource.NonUtf8Name), "not utf-8 named"u8, meta);
        var folder = tree.Directory(source.Join(SampleSource.NonUtf8Directory), new EntryMetadata { Permissions = 0x1ED });
        tree.File(folder.Join(SampleSource.NonUtf8Name), "inside"u8, meta);
        tree.File(folder.Join("plain.txt"u8), new byte[100_000], meta);
        tree.Symlink(source.Join("odd-link"u8), NonUtf8Target, meta);
        tree.Symlink(source.Join("to-odd"u8), [.. SampleSource.NonUtf8Directory, .. "/plain.txt"u8], meta);
        var first = tree.File(source.Join("linked-first"u8), "shared content"u8, meta);
        tree.HardLink(first, source.Join("linked-second"u8));
        tree.HardLink(first, folder.Join("linked-third"u8));
        tree.File(source.Join("empty"u8), [], meta);
        tree.Finish();
        var engine = await EngineHarness.CreateAsync(Ct);
        var (_, snapshot) = await engine.BackUpAsync(source.ToString(), Ct);
        var target = _scratch.Combine("target");
        var summary = await engine.RestoreAsync(snapshot.Tree, target, Ct, HostSafety.ForeignSnapshot);
        summary.Warnings.Should().Be(0);
        return (engine, snapshot.Tree, RawPath.FromString(target + source));
    }
}
