using Cairn.Agent.Protocol;
using Cairn.Agent.State;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

public sealed class EnrollmentTests : AgentTest
{
    [Fact]
    public async Task Enrollment_keeps_the_token_and_the_typed_password_in_files_only_the_owner_reads()
    {
        var agent = await EnrolledAgent.EnrollAsync(Folder, Space);

        var identity = Enrollment.Load(agent.State);
        identity.AgentId.Should().Be(Space.AgentId);
        identity.Token.Should().Be(Space.Token);
        identity.Instance.Should().Be(FakeSpace.Instance);
        File.GetUnixFileMode(agent.State.IdentityFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(agent.State.PasswordFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(agent.State.PasswordFile).Should().Be(EnrolledAgent.Password + "\n");
        File.ReadAllText(agent.State.IdentityFile).Should().NotContain(EnrolledAgent.Password);
        Directory.GetFiles(agent.State.Path, "*.tmp-*").Should().BeEmpty("the files are written by rename");

        var enroll = Space.Requests.Should().ContainSingle().Subject;
        enroll.Url.Should().Be("/api/v1/agent/enroll");
        enroll.Body.Should().Contain(FakeSpace.Code);
        Space.Requests.Should().NotContain(r => r.Contains(EnrolledAgent.Password));
    }

    [Fact]
    public async Task A_password_file_stays_a_reference_and_is_not_copied()
    {
        var passwordFile = Folder.Combine("owner-password");
        await File.WriteAllTextAsync(passwordFile, "from-the-owner-file\n", TestContext.Current.CancellationToken);
        var state = new StateFolder(Folder.Combine("state"));
        using var http = new HttpClient();

        var identity = await Enrollment.EnrollAsync(state, Space.Url, "abcd-efgh", new PasswordChoice(File: passwordFile), http, TestContext.Current.CancellationToken);

        identity.PasswordFile.Should().Be(passwordFile);
        File.Exists(state.PasswordFile).Should().BeFalse();
        Running.PasswordSource.Read(identity, state).Should().Be("from-the-owner-file");
        Space.Requests.Should().NotContain(r => r.Contains("from-the-owner-file"));
    }

    [Fact]
    public async Task A_used_code_is_refused_and_enrolls_nothing()
    {
        await EnrolledAgent.EnrollAsync(Folder, Space);
        var second = new StateFolder(Folder.Combine("second"));
        using var http = new HttpClient();

        var again = () => Enrollment.EnrollAsync(second, Space.Url, FakeSpace.Code, new PasswordChoice(Typed: "x"), http, TestContext.Current.CancellationToken);

        (await again.Should().ThrowAsync<EnrollmentRefusedException>()).Which.Message.Should().Be("the code is wrong, expired or used");
        File.Exists(second.IdentityFile).Should().BeFalse();
        File.Exists(second.PasswordFile).Should().BeFalse();
    }

    [Fact]
    public async Task An_unreadable_password_file_is_refused_before_the_code_is_spent()
    {
        var state = new StateFolder(Folder.Combine("state"));
        using var http = new HttpClient();

        var enroll = () => Enrollment.EnrollAsync(state, Space.Url, FakeSpace.Code, new PasswordChoice(File: Folder.Combine("missing")), http, TestContext.Current.CancellationToken);

        await enroll.Should().ThrowAsync<Exception>();
        Space.Requests.Should().BeEmpty();
    }

    [Fact]
    public void The_default_state_folder_follows_XDG_STATE_HOME_for_a_user()
    {
        if (Environment.UserName == "root")
        {
            StateFolder.DefaultPath(_ => null).Should().Be("/var/lib/cairn-agent");
            return;
        }

        StateFolder.DefaultPath(name => name == "XDG_STATE_HOME" ? "/home/u/.state" : null).Should().Be("/home/u/.state/cairn-agent");
    }
}
