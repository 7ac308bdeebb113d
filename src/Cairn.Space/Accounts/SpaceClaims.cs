using System.Security.Claims;
using Cairn.Space.Backups;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
namespace Cairn.Space.Accounts;

/// <summary>The claims Space's two schemes put on a request, and typed reads of them.</summary>
public static class SpaceClaims
{
    public const string BearerScheme = "Bearer";
    public const string BasicScheme = "Basic";
    public const string ApiPolicy = "api";
    public const string OperatorPolicy = "operator";
    public const string RepositoryPolicy = "repository";
    public const string AgentScheme = "AgentToken";
    public const string AgentPolicy = "agent";

    public const string AccountId = "cairn:account";
    public const string Operator = "cairn:operator";
    public const string InstanceId = "cairn:instance-id";
    public const string InstanceName = "cairn:instance";
    public const string CredentialUsername = "cairn:credential";
    public const string Access = "cairn:access";
    public const string TaskId = "cairn:task-id";
    public const string AgentId = "cairn:agent-id";

    public static Guid GetAccountId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Guid.Parse(user.FindFirstValue(AccountId) ?? throw new InvalidOperationException("no account on this request"));
    }

    /// <summary>What an instance credential allows, read back from its claims.</summary>
    public static RepositoryPrincipal GetRepositoryPrincipal(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new RepositoryPrincipal(
            Guid.Parse(user.FindFirstValue(AccountId)!),
            Guid.Parse(user.FindFirstValue(InstanceId)!),
            user.FindFirstValue(InstanceName)!,
            user.FindFirstValue(CredentialUsername)!,
            Enum.Parse<CredentialAccess>(user.FindFirstValue(Access)!),
            user.FindFirstValue(TaskId) is { } task ? Guid.Parse(task) : null);
    }
}

/// <summary>The agent and instance of a request the agent scheme signed in.</summary>
public static class AgentClaims
{
    public static (Guid AgentId, Guid InstanceId) GetAgent(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return (Guid.Parse(user.FindFirstValue(SpaceClaims.AgentId)!), Guid.Parse(user.FindFirstValue(SpaceClaims.InstanceId)!));
    }
}

/// <summary>An authenticated instance credential: whose, for which instance (and task), with what access.</summary>
public sealed record RepositoryPrincipal(Guid AccountId, Guid InstanceId, string InstanceName, string Username, CredentialAccess Access, Guid? TaskId);
