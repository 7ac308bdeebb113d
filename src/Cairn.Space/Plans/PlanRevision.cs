namespace Cairn.Space.Plans;

/// <summary>
/// An instance's plan revision: raised by one in the same transaction as every change to its plans, so an agent
/// that holds revision N knows whether anything changed since, whichever replica it asks.
/// </summary>
public sealed class PlanRevision
{
    private PlanRevision()
    {
    }

    public PlanRevision(Guid instanceId, long revision)
    {
        InstanceId = instanceId;
        Revision = revision;
    }

    public Guid InstanceId { get; private set; }
    public long Revision { get; private set; }
}
