using System.Globalization;

namespace Cairn.Space.Cluster;

/// <summary>
/// What a replica needs to share work with the others through the database (section <c>Space:Cluster</c>): its own
/// id, written on every claim it makes, and how long a claim holds without a heartbeat before another replica may take
/// the work over.
/// </summary>
public sealed record ClusterSettings
{
    public static readonly TimeSpan DefaultJobLease = TimeSpan.FromMinutes(1);

    /// <summary>This replica's id (<c>Space:Cluster:ReplicaId</c>); by default machine name, process id and start time.</summary>
    public required string ReplicaId { get; init; }

    /// <summary>How long a cloud job's claim holds without a heartbeat (<c>Space:Cluster:JobLease</c>).</summary>
    public TimeSpan JobLease { get; init; } = DefaultJobLease;

    /// <summary>How often a replica renews the claims it holds: a quarter of the lease, so three beats may be missed.</summary>
    public TimeSpan HeartbeatInterval => JobLease / 4;

    public static ClusterSettings From(IConfiguration configuration, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(clock);
        var section = configuration.GetSection("Space:Cluster");
        var replicaId = section["ReplicaId"];
        var settings = new ClusterSettings
        {
            ReplicaId = string.IsNullOrWhiteSpace(replicaId) ? DefaultReplicaId(clock) : replicaId.Trim(),
            JobLease = section.GetValue("JobLease", DefaultJobLease),
        };

        if (settings.ReplicaId.Length > MaxReplicaIdLength)
        {
            throw new InvalidOperationException($"Space:Cluster:ReplicaId must be at most {MaxReplicaIdLength} characters");
        }

        if (settings.JobLease < TimeSpan.FromSeconds(4))
        {
            throw new InvalidOperationException("Space:Cluster:JobLease must be at least 4 seconds");
        }

        return settings;
    }

    public const int MaxReplicaIdLength = 200;

    // Start time to the tick: two processes with one id would take each other's claims for their own.
    private static string DefaultReplicaId(TimeProvider clock)
    {
        var machine = Environment.MachineName;
        var id = string.Create(CultureInfo.InvariantCulture,
            $"{machine}-{Environment.ProcessId}-{clock.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}-{Guid.NewGuid().ToString("N")[..6]}");
        return id.Length <= MaxReplicaIdLength ? id : id[^MaxReplicaIdLength..];
    }
}
