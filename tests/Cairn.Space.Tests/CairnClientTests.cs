using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>cairn, as a real process, uses a Space task URL as it uses a local folder; restic then verifies the repository.</summary>
public abstract class CairnClientTests(SpaceFixture fixture)
{
    private SpaceFactory Space => fixture.Factory;

    [Fact]
    public async Task Cairn_inits_backs_up_and_restores_through_a_task_url_and_restic_verifies_the_repository()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, false, "cairn-task");
        var url = $"rest:http://{credential.Username}:{credential.Secret}@{Space.ListenAddress.Authority}/repo/{instance}/cairn-task/";
        var cairn = new CairnCli(url);

        (await cairn.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(Space.DataPath, 9_000_000);
        var first = (await cairn.RunAsync("backup", "--json", source)).EnsureSuccess();
        first.Output.Should().Contain("\"message_type\":\"summary\"");
        File.WriteAllText(Path.Combine(source, "docs", "file3.txt"), "changed after the first backup");
        (await cairn.RunAsync("backup", source)).EnsureSuccess();
        (await cairn.RunAsync("snapshots")).EnsureSuccess().Output.Should().Contain("2 snapshots");

        var target = Trees.NewTemp(Space.DataPath);
        (await cairn.RunAsync("restore", "latest", "--target", target)).EnsureSuccess();
        Trees.Snapshot(Trees.Restored(target, source)).Should().Equal(Trees.Snapshot(source));
        (await cairn.RunAsync("check", "--read-data")).EnsureSuccess().Output.Should().Contain("no errors were found");

        var restic = new Restic(url);
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess().Output.Should().Contain("no errors were found");
        (await restic.RunAsync("snapshots")).EnsureSuccess().Output.Should().Contain("2 snapshots");

        var task = (await owner.BackupsAsync()).Should().ContainSingle().Subject;
        task.Name.Should().Be("cairn-task");
        task.StorageBytes.Should().Be(Space.RepositoryFiles(task.Id).Values.Sum());
        (await owner.BackupAsync(task.Id)).Snapshots.Should().HaveCount(2);
    }

    [Fact]
    public async Task Cairn_reports_a_wrong_password_and_a_missing_repository_on_a_task_url_with_restics_exit_codes()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, false, "empty-task");
        var url = $"rest:http://{credential.Username}:{credential.Secret}@{Space.ListenAddress.Authority}/repo/{instance}/empty-task/";

        var missing = await new CairnCli(url).RunAsync("snapshots");
        missing.ExitCode.Should().Be(10, missing.Error);
        missing.Error.Should().Contain("repository does not exist");
    }

    [Fact]
    public async Task Cairn_says_in_one_sentence_that_Space_refused_a_revoked_credential_and_never_prints_the_secret()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, false, "revoked-task");
        var location = $"{credential.Username}@{Space.ListenAddress.Authority}/repo/{instance}/revoked-task/";
        var cairn = new CairnCli($"rest:http://{credential.Username}:{credential.Secret}@{Space.ListenAddress.Authority}/repo/{instance}/revoked-task/");
        (await cairn.RunAsync("init")).EnsureSuccess();
        (await owner.Api.DeleteAsync($"/api/v1/instances/{instance}/credentials/{credential.Username}", TestContext.Current.CancellationToken))
            .EnsureSuccessStatusCode();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var refused = await cairn.RunAsync("snapshots");

        refused.ExitCode.Should().Be(1, refused.Error);
        refused.Error.Trim().Should().Be($"Fatal: Space refused the credential for rest:http://{location.Replace("@", ":***@", StringComparison.Ordinal)} (wrong or revoked secret?)");
        refused.Error.Should().NotContain(credential.Secret);
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a refusal is not retried");
    }
}

public sealed class CairnClientSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: true, ResticTests.Settings);

public sealed class CairnClientPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: true, ResticTests.Settings);

public sealed class CairnClientTestsOnSqlite(CairnClientSqliteSpace fixture) : CairnClientTests(fixture), IClassFixture<CairnClientSqliteSpace>;

public sealed class CairnClientTestsOnPostgres(CairnClientPostgresSpace fixture) : CairnClientTests(fixture), IClassFixture<CairnClientPostgresSpace>;
