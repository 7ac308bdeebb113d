using Cairn.Agent.Protocol;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

public sealed class AgentLoopRevocationTests : AgentTest
{
    [Fact]
    public async Task A_revoked_agent_stops_and_says_so()
    {
        await using var agent = await EnrolledAgent.EnrollAsync(Folder, Space);
        Space.Revoked = true;

        agent.Start();
        var running = async () => await agent.Running.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        (await running.Should().ThrowAsync<AgentRevokedException>()).Which.Message.Should().Contain("401");
    }
}
