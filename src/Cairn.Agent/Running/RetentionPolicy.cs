using Cairn.Agent.Protocol;
using Cairn.Maintenance.Forget;

namespace Cairn.Agent.Running;

/// <summary>A plan's retention as the engine's own forget policy (the one <c>cairn forget</c> uses: restic's semantics).</summary>
public static class RetentionPolicy
{
    public static KeepPolicy ToKeepPolicy(RetentionDocument? retention)
    {
        if (retention is null)
        {
            return new KeepPolicy();
        }

        var within = default(RetentionDuration);
        if (!string.IsNullOrEmpty(retention.KeepWithin) && !RetentionDuration.TryParse(retention.KeepWithin, out within, out var error))
        {
            throw new InvalidOperationException($"retention.keepWithin \"{retention.KeepWithin}\": {error}");
        }

        return new KeepPolicy
        {
            Last = retention.KeepLast,
            Hourly = retention.KeepHourly,
            Daily = retention.KeepDaily,
            Weekly = retention.KeepWeekly,
            Monthly = retention.KeepMonthly,
            Yearly = retention.KeepYearly,
            Within = within,
            Tags = [.. (retention.KeepTags ?? []).Select(TagList.Parse)],
        };
    }
}
