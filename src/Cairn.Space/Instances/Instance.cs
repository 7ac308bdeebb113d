using Cairn.Space.Backups;

namespace Cairn.Space.Instances;

/// <summary>A machine (an Olares box, a server) that backs up to Space under one name, e.g. <c>alice.olares</c>.</summary>
public sealed class Instance
{
    private Instance()
    {
    }

    public Instance(Guid id, Guid accountId, string name, string region, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        Id = id;
        AccountId = accountId;
        Name = Names.RequireInstanceName(name);
        Region = region;
        CreatedAt = createdAt.ToUniversalTime();
        MeteredUntil = CreatedAt;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }

    /// <summary>Unique among active instances; free again once the instance is removed.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The storage region, a key of the price sheet.</summary>
    public string Region { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>Storage has been metered (GB-hours accrued) up to this moment.</summary>
    public DateTimeOffset MeteredUntil { get; private set; }

    public bool IsActive => DeletedAt is null;

    public void Delete(DateTimeOffset now)
    {
        if (DeletedAt is null)
        {
            DeletedAt = now.ToUniversalTime();
        }
    }

    public void MarkMeteredUntil(DateTimeOffset moment)
    {
        if (moment < MeteredUntil)
        {
            throw new DomainRuleException("metering cannot go back in time");
        }

        MeteredUntil = moment.ToUniversalTime();
    }
}
