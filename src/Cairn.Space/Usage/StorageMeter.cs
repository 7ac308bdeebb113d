namespace Cairn.Space.Usage;

/// <summary>GB-hours a task stored above its instance's free allowance in one calendar month (UTC).</summary>
public sealed class StorageMeter
{
    private StorageMeter()
    {
    }

    public StorageMeter(Guid taskId, Guid instanceId, string month)
    {
        ArgumentException.ThrowIfNullOrEmpty(month);
        TaskId = taskId;
        InstanceId = instanceId;
        Month = month;
    }

    public Guid TaskId { get; private set; }
    public Guid InstanceId { get; private set; }

    /// <summary>The month as <c>yyyy-MM</c>.</summary>
    public string Month { get; private set; } = "";

    /// <summary>Kept to whole byte-hours (<see cref="MeteringMath.GbHourDecimals"/>), so both databases store exactly this figure.</summary>
    public decimal OverGbHours { get; private set; }

    public void Add(decimal gbHours)
    {
        if (gbHours < 0)
        {
            throw new DomainRuleException("metered GB-hours only grow");
        }

        OverGbHours = MeteringMath.RoundGbHours(OverGbHours + gbHours);
    }
}
