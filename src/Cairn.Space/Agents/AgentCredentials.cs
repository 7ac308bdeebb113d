using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Agents;

/// <summary>
/// Checks an agent's token, for the agent API and for the repositories alike: the agent must exist, not be
/// revoked, belong to an active instance, and the secret must match its hash (compared in constant time).
/// </summary>
public sealed class AgentCredentials(SpaceDbContext db)
{
    public async Task<AuthenticatedAgent?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (!AgentTokens.TryParse(token, out var agentId, out var secret))
        {
            return null;
        }

        var found = await (from a in db.Agents.AsNoTracking()
                           join i in db.Instances.AsNoTracking() on a.InstanceId equals i.Id
                           where a.Id == agentId && a.RevokedAt == null && i.DeletedAt == null
                           select new { a.TokenHash, i.Id, i.Name, i.AccountId })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return found is not null && Secrets.Matches(secret, found.TokenHash)
            ? new AuthenticatedAgent(agentId, found.Id, found.Name, found.AccountId)
            : null;
    }
}

/// <summary>An agent whose token checked out, and the instance it works for.</summary>
public sealed record AuthenticatedAgent(Guid AgentId, Guid InstanceId, string InstanceName, Guid AccountId);
