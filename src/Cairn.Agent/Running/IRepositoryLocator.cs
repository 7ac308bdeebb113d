using Cairn.Agent.State;

namespace Cairn.Agent.Running;

/// <summary>Where a plan's task keeps its repository; Space's REST route in production, any location in tests.</summary>
public interface IRepositoryLocator
{
    string LocationOf(string task);
}

/// <summary>
/// <c>rest:&lt;space&gt;/repo/&lt;instance&gt;/&lt;task&gt;/</c> with basic auth user <c>agent-&lt;agentId&gt;</c> and the
/// token as password (docs/agent-protocol.md, "How the agent authenticates").
/// </summary>
public sealed class SpaceRepositoryLocator(AgentIdentity identity) : IRepositoryLocator
{
    public string LocationOf(string task)
    {
        ArgumentException.ThrowIfNullOrEmpty(task);
        var space = new Uri(identity.Space.EndsWith('/') ? identity.Space : identity.Space + "/");
        var repository = new Uri(space, "repo/" + Uri.EscapeDataString(identity.Instance) + "/" + Uri.EscapeDataString(task) + "/");
        var builder = new UriBuilder(repository)
        {
            UserName = Uri.EscapeDataString("agent-" + identity.AgentId),
            Password = Uri.EscapeDataString(identity.Token),
        };
        return "rest:" + builder.Uri.AbsoluteUri;
    }
}
