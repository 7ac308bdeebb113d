using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Space.Data;
using Cairn.Space.Plans;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Agents;

/// <summary>
/// The agent's long poll: answers at once when the instance's plan revision is not the one the agent holds or a
/// command waits for it, else re-reads the database about once a second for up to the wait asked. No signal
/// between processes is needed, so any replica can hold the poll.
/// </summary>
public sealed class AgentSync(SpaceDbContext db, PlanRevisions revisions)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    public async Task<SyncResponse> WaitAsync(Guid agentId, Guid instanceId, long? heldRevision, int? waitSeconds, CancellationToken cancellationToken)
    {
        var checks = Math.Clamp(waitSeconds ?? 25, 0, AgentLimits.MaxWaitSeconds);
        for (var check = 0; ; check++)
        {
            var revision = await revisions.CurrentAsync(instanceId, cancellationToken).ConfigureAwait(false);
            var pending = await Pending(agentId, instanceId).AnyAsync(cancellationToken).ConfigureAwait(false);
            if (revision != heldRevision || pending || check >= checks)
            {
                return await AnswerAsync(agentId, instanceId, revision, cancellationToken).ConfigureAwait(false);
            }

            // Counted in checks, not measured on the clock: the wait is real time even when tests hold Space's clock.
            await Task.Delay(CheckInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks the command taken; acknowledging it again is fine, one of another instance is not found.</summary>
    public async Task AcknowledgeAsync(Guid agentId, Guid instanceId, Guid commandId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var taken = await db.AgentCommands
            .Where(c => c.Id == commandId && c.InstanceId == instanceId && c.AcknowledgedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AcknowledgedAt, now).SetProperty(c => c.AcknowledgedBy, agentId), cancellationToken)
            .ConfigureAwait(false);
        if (taken == 0 && !await db.AgentCommands.AnyAsync(c => c.Id == commandId && c.InstanceId == instanceId, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"no command {commandId} for this instance");
        }
    }

    private IQueryable<AgentCommand> Pending(Guid agentId, Guid instanceId)
        => db.AgentCommands.AsNoTracking().Where(c => c.InstanceId == instanceId && c.AcknowledgedAt == null && (c.AgentId == null || c.AgentId == agentId));

    private async Task<SyncResponse> AnswerAsync(Guid agentId, Guid instanceId, long revision, CancellationToken cancellationToken)
    {
        var plans = await db.Plans.AsNoTracking().Where(p => p.InstanceId == instanceId && p.DeletedAt == null)
            .OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var commands = await Pending(agentId, instanceId).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new SyncResponse(revision, [.. plans.Select(PlanResponse.From)], [.. commands.Select(CommandResponse.From)]);
    }
}

/// <summary>The answer of <c>GET /agent/sync</c>: every active plan of the instance and the commands not yet taken.</summary>
public sealed record SyncResponse(long Revision, PlanResponse[] Plans, CommandResponse[] Commands);

/// <summary>A command as the agent receives it; fields a kind does not use are left out.</summary>
public sealed record CommandResponse(
    Guid Id,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? PlanId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? RunId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Restore)
{
    public static CommandResponse From(AgentCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        JsonElement? restore = command.Payload is null ? null : JsonDocument.Parse(command.Payload).RootElement.Clone();
        return new CommandResponse(command.Id, command.Kind, command.PlanId, command.RunId, restore);
    }
}
