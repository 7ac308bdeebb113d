using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Space.Agents;
using Cairn.Space.Data;
using Cairn.Space.Instances;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Plans;

/// <summary>"Restore on the instance" as the owner asks for it (docs/agent-protocol.md, "The agent's long poll").</summary>
public sealed record RestoreRequest(string? Snapshot, string? Target, IReadOnlyList<string>? Include, IReadOnlyList<string>? Exclude, string? Overwrite);

/// <summary>The restore order an agent receives: every field present and checked.</summary>
public sealed record RestoreOrder(string Snapshot, string? Target, IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, string Overwrite);

/// <summary>The commands an owner sends an instance's agent: back a plan up now, restore a plan's snapshot there, cancel a run.</summary>
public sealed partial class InstanceCommands(SpaceDbContext db, PlanService plans, TimeProvider clock)
{
    /// <summary>restic's --overwrite modes, in the protocol's spelling.</summary>
    public static readonly string[] OverwriteModes = ["always", "ifChanged", "ifNewer", "never"];
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Queues a backup of the plan for the instance's agent (paused or not).</summary>
    public async Task<AgentCommand> BackUpNowAsync(Instance instance, Guid planId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var plan = await plans.GetAsync(instance, planId, cancellationToken).ConfigureAwait(false);
        return await QueueAsync(new AgentCommand(Guid.NewGuid(), instance.Id, AgentCommandKinds.BackupNow, plan.Id, null, null, clock.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<AgentCommand> RestoreAsync(Instance instance, Guid planId, RestoreRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var order = Validate(request);
        var plan = await plans.GetAsync(instance, planId, cancellationToken).ConfigureAwait(false);
        return await QueueAsync(new AgentCommand(Guid.NewGuid(), instance.Id, AgentCommandKinds.Restore, plan.Id, null,
            JsonSerializer.Serialize(order, s_json), clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the agent to stop a run that has not ended; an ended run cannot be canceled (409).</summary>
    public async Task<AgentCommand> CancelAsync(Instance instance, Guid runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.InstanceId == instance.Id, cancellationToken).ConfigureAwait(false)
                  ?? throw new NotFoundException($"no run {runId} on instance '{instance.Name}'");
        if (RunPhases.IsEnded(run.Phase))
        {
            throw new ConflictException($"run {runId} has ended ({run.Phase}); there is nothing to cancel");
        }

        return await QueueAsync(new AgentCommand(Guid.NewGuid(), instance.Id, AgentCommandKinds.Cancel, run.PlanId, run.Id, null, clock.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
    }

    internal static RestoreOrder Validate(RestoreRequest? request)
    {
        request ??= new RestoreRequest(null, null, null, null, null);
        var snapshot = string.IsNullOrWhiteSpace(request.Snapshot) ? "latest" : request.Snapshot.Trim();
        if (snapshot != "latest" && !SnapshotId().IsMatch(snapshot))
        {
            throw new DomainRuleException("snapshot: \"latest\" or a snapshot ID (8 to 64 hexadecimal digits)");
        }

        var target = string.IsNullOrWhiteSpace(request.Target) ? null : request.Target.Trim();
        if (target is not null && (!target.StartsWith('/') || target.Contains('\0', StringComparison.Ordinal)))
        {
            throw new DomainRuleException("target: an absolute path on the instance (or none, to restore to the original paths)");
        }

        var overwrite = string.IsNullOrWhiteSpace(request.Overwrite) ? "ifChanged" : request.Overwrite.Trim();
        if (!OverwriteModes.Contains(overwrite, StringComparer.Ordinal))
        {
            throw new DomainRuleException($"overwrite: one of {string.Join(", ", OverwriteModes)}");
        }

        return new RestoreOrder(snapshot, target, Patterns(request.Include, "include"), Patterns(request.Exclude, "exclude"), overwrite);
    }

    private static string[] Patterns(IReadOnlyList<string>? patterns, string field)
    {
        var given = (patterns ?? []).Select(p => p?.Trim() ?? "").Where(p => p.Length > 0).ToArray();
        if (given.Length > 1000 || given.Any(p => p.Length > 4096 || p.Contains('\0', StringComparison.Ordinal)))
        {
            throw new DomainRuleException($"{field}: at most 1,000 patterns of at most 4,096 characters each");
        }

        return given;
    }

    private async Task<AgentCommand> QueueAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        db.AgentCommands.Add(command);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return command;
    }

    [GeneratedRegex("^[0-9a-f]{8,64}$")]
    private static partial Regex SnapshotId();
}
