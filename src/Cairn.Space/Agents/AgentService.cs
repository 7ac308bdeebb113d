using Cairn.Space.Data;
using Cairn.Space.Instances;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Agents;

/// <summary>Enrollment codes, enrollment, and the owner's list and revocation of agents.</summary>
public sealed class AgentService(SpaceDbContext db, TimeProvider clock, ILogger<AgentService> logger)
{
    public const string RefusedCode = "this enrollment code is wrong, expired or already used; make a new one in the console";

    /// <summary>Mints a code for the instance; the code itself is returned once and kept only as its hash.</summary>
    public async Task<(string Code, DateTimeOffset ExpiresAt)> MintCodeAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var now = clock.GetUtcNow();
        var code = EnrollmentCodes.NewCode();
        var row = new EnrollmentCode(Guid.NewGuid(), instance.Id, EnrollmentCodes.HashOf(code)!, now, now + EnrollmentCodes.Lifetime);
        db.EnrollmentCodes.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Enrollment code minted for instance {Instance}, valid until {ExpiresAt}", instance.Name, row.ExpiresAt);
        return (code, row.ExpiresAt);
    }

    /// <summary>
    /// Takes a code (once: a conditional update marks it used, so two replicas cannot both take it) and enrolls a
    /// new agent on its instance. A wrong, expired or used code throws <see cref="DomainRuleException"/>.
    /// </summary>
    public async Task<EnrolledAgent> EnrollAsync(string? code, string? hostname, string? version, CancellationToken cancellationToken)
    {
        var hash = EnrollmentCodes.HashOf(code) ?? throw new DomainRuleException(RefusedCode);
        var host = Bounded("hostname", hostname, AgentLimits.MaxHostnameLength);
        var agentVersion = Bounded("agentVersion", version, AgentLimits.MaxVersionLength);
        var now = clock.GetUtcNow();
        var agentId = Guid.NewGuid();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var taken = await db.EnrollmentCodes
            .Where(c => c.CodeHash == hash && c.UsedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now).SetProperty(c => c.AgentId, agentId), cancellationToken)
            .ConfigureAwait(false);
        var instance = taken == 1
            ? await (from c in db.EnrollmentCodes
                     join i in db.Instances on c.InstanceId equals i.Id
                     where c.CodeHash == hash && i.DeletedAt == null
                     select i).AsNoTracking().SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            : null;
        if (instance is null)
        {
            throw new DomainRuleException(RefusedCode); // the transaction is rolled back: nothing is enrolled
        }

        var (token, secretHash) = AgentTokens.NewToken(agentId);
        var agent = new Agent(agentId, instance.Id, host, agentVersion, secretHash, now);
        db.Agents.Add(agent);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Agent {AgentId} on {Hostname} enrolled for instance {Instance}", agentId, host, instance.Name);
        return new EnrolledAgent(agent, token, instance.Name);
    }

    public async Task<IReadOnlyList<Agent>> ListAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return await db.Agents.AsNoTracking().Where(a => a.InstanceId == instance.Id)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes the agent: its next request, on the agent API or a repository, is refused.</summary>
    public async Task RevokeAsync(Instance instance, Guid agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == agentId && a.InstanceId == instance.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new NotFoundException($"no agent {agentId} on instance '{instance.Name}'");
        agent.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Agent {AgentId} of instance {Instance} revoked", agentId, instance.Name);
    }

    private static string Bounded(string field, string? value, int maxLength)
    {
        var text = value?.Trim() ?? "";
        return text.Length > maxLength || text.Any(char.IsControl)
            ? throw new DomainRuleException($"{field}: at most {maxLength} printable characters")
            : text;
    }
}

/// <summary>A new agent and its token, which exists nowhere else.</summary>
public sealed record EnrolledAgent(Agent Agent, string Token, string InstanceName);
