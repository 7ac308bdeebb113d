using Cairn.Space.Data;
using Cairn.Space.Instances;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Plans;

/// <summary>An instance's backup plans as its owner edits them; every change raises the instance's plan revision.</summary>
public sealed class PlanService(SpaceDbContext db, PlanRevisions revisions, TimeProvider clock, ILogger<PlanService> logger)
{
    public async Task<IReadOnlyList<BackupPlan>> ListAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return await ActivePlans(instance.Id).AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<BackupPlan> GetAsync(Instance instance, Guid planId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return await ActivePlans(instance.Id).SingleOrDefaultAsync(p => p.Id == planId, cancellationToken).ConfigureAwait(false)
               ?? throw new NotFoundException($"no plan {planId} on instance '{instance.Name}'");
    }

    public async Task<BackupPlan> CreateAsync(Instance instance, PlanRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var definition = PlanValidation.Validate(request);
        var plan = await SaveAsync(instance, null, definition, async revision =>
        {
            var plan = new BackupPlan(Guid.NewGuid(), instance.Id, definition, revision, clock.GetUtcNow());
            if (request!.Paused == true)
            {
                plan.SetPaused(true, revision, clock.GetUtcNow());
            }

            await db.Plans.AddAsync(plan, cancellationToken).ConfigureAwait(false);
            return plan;
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Plan {PlanId} ({Task}) made on instance {Instance}", plan.Id, plan.Task, instance.Name);
        return plan;
    }

    public async Task<BackupPlan> UpdateAsync(Instance instance, Guid planId, PlanRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var definition = PlanValidation.Validate(request);
        var plan = await GetAsync(instance, planId, cancellationToken).ConfigureAwait(false);
        return await SaveAsync(instance, planId, definition, revision =>
        {
            plan.Apply(definition, revision, clock.GetUtcNow());
            if (request!.Paused is { } paused)
            {
                plan.SetPaused(paused, revision, clock.GetUtcNow());
            }

            return Task.FromResult(plan);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BackupPlan> SetPausedAsync(Instance instance, Guid planId, bool paused, CancellationToken cancellationToken)
    {
        var plan = await GetAsync(instance, planId, cancellationToken).ConfigureAwait(false);
        return await revisions.ChangeAsync(instance.Id, revision =>
        {
            plan.SetPaused(paused, revision, clock.GetUtcNow());
            return Task.FromResult(plan);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the plan (its runs stay readable); the repository and its snapshots are not touched.</summary>
    public async Task DeleteAsync(Instance instance, Guid planId, CancellationToken cancellationToken)
    {
        var plan = await GetAsync(instance, planId, cancellationToken).ConfigureAwait(false);
        await revisions.ChangeAsync(instance.Id, revision =>
        {
            plan.Delete(revision, clock.GetUtcNow());
            return Task.FromResult(plan);
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Plan {PlanId} ({Task}) removed from instance {Instance}", plan.Id, plan.Task, instance.Name);
    }

    private IQueryable<BackupPlan> ActivePlans(Guid instanceId) => db.Plans.Where(p => p.InstanceId == instanceId && p.DeletedAt == null);

    private async Task<BackupPlan> SaveAsync(Instance instance, Guid? self, PlanDefinition definition, Func<long, Task<BackupPlan>> change,
        CancellationToken cancellationToken)
    {
        var taken = $"task: the plan '{{0}}' already backs up to task '{definition.Task}'; two plans may not share a task";
        try
        {
            return await revisions.ChangeAsync(instance.Id, async revision =>
            {
                // Checked under the revision's lock, so it holds across replicas; the unique index is the last word.
                var other = await ActivePlans(instance.Id).AsNoTracking()
                    .Where(p => p.Task == definition.Task && p.Id != self).Select(p => p.Name)
                    .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                return other is not null ? throw new DomainRuleException(string.Format(null, taken, other)) : await change(revision).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            throw new DomainRuleException(string.Format(null, taken, "another"));
        }
    }
}
