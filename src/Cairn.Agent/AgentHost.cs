using Cairn.Agent.Protocol;
using Cairn.Agent.Running;
using Cairn.Agent.State;
using Cairn.Repository;

namespace Cairn.Agent;

/// <summary>Builds an enrolled agent's loop from its state folder: the client with its token, the runner with its repositories.</summary>
public static class AgentHost
{
    /// <summary>Longer than the longest long poll Space may hold (60 s).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);

    public static AgentLoop Create(StateFolder state, HttpClient http, RepositoryOptions repositoryOptions, TimeProvider time, Action<string> log,
        IRepositoryLocator? locator = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(http);
        var identity = Enrollment.Load(state);
        http.BaseAddress ??= new Uri(identity.Space);
        var client = new SpaceClient(http, identity.Token);
        var runner = new PlanRunner(locator ?? new SpaceRepositoryLocator(identity), () => PasswordSource.Read(identity, state), repositoryOptions, time);
        return new AgentLoop(state, client, runner, time, log);
    }
}
