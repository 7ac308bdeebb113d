using Cairn.Space.Data;
using Cairn.Space.Instances;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Plans;

/// <summary>Runs as agents report them, and as owners read them.</summary>
public sealed class RunService(SpaceDbContext db, TimeProvider clock)
{
    public const int MaxListed = 500;

    public async Task<IReadOnlyList<PlanRun>> ListAsync(BackupPlan plan, int? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var take = Math.Clamp(limit ?? 100, 1, MaxListed);
        return await db.Runs.AsNoTracking().Where(r => r.PlanId == plan.Id && r.InstanceId == plan.InstanceId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.CreatedAt).Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlanRun> GetAsync(Instance instance, Guid runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.InstanceId == instance.Id, cancellationToken)
                   .ConfigureAwait(false)
               ?? throw new NotFoundException($"no run {runId} on instance '{instance.Name}'");
    }

    /// <summary>
    /// Records an agent's report of a run: made on first sight, updated after. A run that ended is never changed:
    /// the same report again is accepted, a different one is a <see cref="ConflictException"/>.
    /// </summary>
    public async Task<PlanRun> ReportAsync(Guid instanceId, Guid agentId, Guid runId, RunReportRequest? request, CancellationToken cancellationToken)
    {
        var report = RunReportValidation.Validate(request);
        if (!await db.Plans.AnyAsync(p => p.Id == report.PlanId && p.InstanceId == instanceId, cancellationToken).ConfigureAwait(false))
        {
            throw new DomainRuleException($"planId: no plan {report.PlanId} on this instance");
        }

        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            run = new PlanRun(runId, instanceId, agentId, report, clock.GetUtcNow());
            db.Runs.Add(run);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return run;
            }
            catch (DbUpdateException)
            {
                // The same run reported twice at once: the other report made it; this one is an update of it.
                db.Entry(run).State = EntityState.Detached;
                run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
            }
        }

        if (run.InstanceId != instanceId)
        {
            throw new NotFoundException($"no run {runId} on this instance");
        }

        if (run.ToReport().SameAs(report))
        {
            return run;
        }

        if (run.HasEnded)
        {
            throw new ConflictException($"run {runId} ended ({run.Phase}) and is never changed again");
        }

        if (run.PlanId != report.PlanId || run.Kind != report.Kind || run.Trigger != report.Trigger)
        {
            throw new ConflictException($"run {runId}: its planId, kind and trigger do not change");
        }

        run.Record(report, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"run {runId} changed meanwhile; send its state again");
        }

        return run;
    }
}
