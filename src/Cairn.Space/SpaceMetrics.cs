using System.Diagnostics.Metrics;

namespace Cairn.Space;

/// <summary>
/// Space's own Prometheus metrics (next to ASP.NET Core's request metrics): repository requests, bytes in and out,
/// and the bytes stored in all repositories.
/// </summary>
public sealed class SpaceMetrics
{
    public const string MeterName = "Cairn.Space";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private long _storedBytes;

    public SpaceMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("cairn.space.repository.requests", "{request}", "restic REST requests served");
        _bytesIn = meter.CreateCounter<long>("cairn.space.repository.received", "By", "object bytes uploaded");
        _bytesOut = meter.CreateCounter<long>("cairn.space.repository.sent", "By", "object bytes downloaded");
        meter.CreateObservableGauge("cairn.space.stored", () => Interlocked.Read(ref _storedBytes), "By", "bytes stored in all repositories");
    }

    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    public void Request(string method, string kind, int status)
        => _requests.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("status", status));

    public void Received(long bytes) => _bytesIn.Add(bytes);

    public void Sent(long bytes) => _bytesOut.Add(bytes);

    public void StoredBytesChanged(long delta) => Interlocked.Add(ref _storedBytes, delta);

    public void SetStoredBytes(long total) => Interlocked.Exchange(ref _storedBytes, total);
}
