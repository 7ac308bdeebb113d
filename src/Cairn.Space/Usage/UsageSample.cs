
namespace Cairn.Space.Usage;

/// <summary>A task's stored bytes at one moment: the history behind the usage chart.</summary>
public sealed class UsageSample
{
    private UsageSample()
    {
    }

    public UsageSample(Guid taskId, DateTimeOffset at, long bytes)
    {
        if (bytes < 0)
        {
            throw new DomainRuleException("stored bytes cannot be negative");
        }

        TaskId = taskId;
        At = at.ToUniversalTime();
        Bytes = bytes;
    }

    public long Id { get; private set; }
    public Guid TaskId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public long Bytes { get; private set; }
}
