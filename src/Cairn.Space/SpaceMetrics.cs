using System.Diagnostics.Metrics;
using Cairn.Space.Cluster;

namespace Cairn.Space;

/// <summary>
/// Space's own Prometheus metrics (next to ASP.NET Core's request metrics). What this process did (repository
/// requests, bytes in and out) is counted per process and labelled with the replica id; what describes the cluster
/// (bytes stored, accounts, instances, backup tasks) is read from the database (<see cref="ClusterFigures"/>), so
/// every replica reports the same.
/// </summary>
public sealed class SpaceMetrics
{
    public const string MeterName = "Cairn.Space";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly KeyValuePair<string, object?> _replica;

    public SpaceMetrics(IMeterFactory meterFactory, ClusterSettings cluster, ClusterFigures figures)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(figures);
        _replica = new KeyValuePair<string, object?>("replica", cluster.ReplicaId);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("cairn.space.repository.requests", "{request}", "restic REST requests served by this replica");
        _bytesIn = meter.CreateCounter<long>("cairn.space.repository.received", "By", "object bytes uploaded through this replica");
        _bytesOut = meter.CreateCounter<long>("cairn.space.repository.sent", "By", "object bytes downloaded through this replica");
        meter.CreateObservableGauge("cairn.space.stored", () => figures.StoredBytes, "By", "bytes stored in all repositories of the cluster");
        meter.CreateObservableGauge("cairn.space.accounts", () => figures.Accounts, "{account}", "accounts in the cluster");
        meter.CreateObservableGauge("cairn.space.instances", () => figures.Instances, "{instance}", "active backup instances in the cluster");
        meter.CreateObservableGauge("cairn.space.backup_tasks", () => figures.BackupTasks, "{task}", "active backup tasks in the cluster");
    }

    public void Request(string method, string kind, int status)
        => _requests.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("status", status), _replica);

    public void Received(long bytes) => _bytesIn.Add(bytes, _replica);

    public void Sent(long bytes) => _bytesOut.Add(bytes, _replica);
}
