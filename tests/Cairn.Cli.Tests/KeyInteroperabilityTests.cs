using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Issue 2, fourth must-show: keys added by either program open the repository in the other; key list, passwd and remove.</summary>
public sealed class KeyInteroperabilityTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-keys-");

    public void Dispose() => _workspace.Dispose();

    private string PasswordFile(string name, string password)
    {
        var path = _workspace.Scratch.Combine(name);
        File.WriteAllText(path, password + "\n");
        return path;
    }

    [Fact]
    public async Task A_key_cairn_adds_opens_the_repository_in_restic()
    {
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("key", "add", "--new-password-file", PasswordFile("new", "added by cairn"))).ShouldSucceed();

        var restic = new ResticCli(_workspace.Repository, "added by cairn");
        (await restic.RunAsync("snapshots")).ShouldSucceed();
        (await restic.RunAsync("key", "list", "--json")).ShouldSucceed().JsonLines().Single().GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task A_key_restic_adds_opens_the_repository_in_cairn()
    {
        await _workspace.InitAsync();

        (await _workspace.Restic.RunAsync("key", "add", "--new-password-file", PasswordFile("new", "added by restic"))).ShouldSucceed();

        var cairn = new CairnCli(_workspace.Repository, "added by restic");
        var keys = (await cairn.RunAsync("--json", "key", "list")).ShouldSucceed().JsonLines().Single().EnumerateArray().ToList();
        keys.Should().HaveCount(2);
        keys.Count(k => k.GetProperty("current").GetBoolean()).Should().Be(1);
    }

    [Fact]
    public async Task Passwd_replaces_the_key_in_use_so_only_the_new_password_opens_the_repository()
    {
        await _workspace.InitAsync();

        (await _workspace.Cairn.RunAsync("key", "passwd", "--new-password-file", PasswordFile("new", "changed"))).ShouldSucceed();

        (await _workspace.Cairn.RunAsync("snapshots")).ShouldFailWith(12, "wrong password");
        (await new CairnCli(_workspace.Repository, "changed").RunAsync("snapshots")).ShouldSucceed();
        (await new ResticCli(_workspace.Repository, "changed").RunAsync("snapshots")).ShouldSucceed();
        (await _workspace.Restic.RunAsync("snapshots")).ExitCode.Should().NotBe(0, "restic no longer accepts the old password either");
    }

    [Fact]
    public async Task Remove_deletes_another_key_but_refuses_the_one_in_use()
    {
        await _workspace.InitAsync();
        (await _workspace.Cairn.RunAsync("key", "add", "--new-password-file", PasswordFile("second", "second"))).ShouldSucceed();
        var keys = (await _workspace.Cairn.RunAsync("--json", "key", "list")).ShouldSucceed().JsonLines().Single().EnumerateArray().ToList();
        var current = keys.Single(k => k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        var other = keys.Single(k => !k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;

        (await _workspace.Cairn.RunAsync("key", "remove", current)).ShouldFailWith(1, "currently used");
        (await _workspace.Cairn.RunAsync("key", "remove", other)).ShouldSucceed();

        (await new CairnCli(_workspace.Repository, "second").RunAsync("snapshots")).ShouldFailWith(12, "wrong password");
        var left = (await _workspace.Restic.RunAsync("key", "list", "--json")).ShouldSucceed().JsonLines().Single();
        left.EnumerateArray().Select(k => k.GetProperty("id").GetString()).Should().Equal(current);
    }
}
