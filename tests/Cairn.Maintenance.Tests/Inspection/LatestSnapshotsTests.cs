using Cairn.Maintenance.Inspection;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Tests.Inspection;

public sealed class LatestSnapshotsTests
{
    private static (Id Id, Snapshot Snapshot) Snap(string time, string host, params string[] paths) =>
        (Id.Hash(System.Text.Encoding.UTF8.GetBytes(time + host + string.Join(",", paths))),
         new Snapshot { Time = NodeTime.Parse(time), Hostname = host, Paths = paths });

    [Fact]
    public void Keeps_the_newest_n_of_each_host_and_path_set_oldest_first()
    {
        var a1 = Snap("2024-01-01T00:00:00Z", "a", "/x");
        var a2 = Snap("2024-01-02T00:00:00Z", "a", "/x");
        var a3 = Snap("2024-01-03T00:00:00Z", "a", "/x");
        var b1 = Snap("2024-01-01T12:00:00Z", "b", "/x");
        var aBoth = Snap("2024-01-01T06:00:00Z", "a", "/y", "/x");
        var aBothAgain = Snap("2024-01-04T06:00:00Z", "a", "/x", "/y");

        var kept = LatestSnapshots.Keep([a3, b1, a1, aBoth, a2, aBothAgain], 2);

        kept.Should().Equal(aBoth, b1, a2, a3, aBothAgain);
    }

    [Fact]
    public void Zero_or_less_keeps_everything()
    {
        var a1 = Snap("2024-01-01T00:00:00Z", "a", "/x");
        var a2 = Snap("2024-01-02T00:00:00Z", "a", "/x");

        LatestSnapshots.Keep([a2, a1], 0).Should().Equal(a1, a2);
    }
}
