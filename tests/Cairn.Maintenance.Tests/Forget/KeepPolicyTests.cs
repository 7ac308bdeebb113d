using Cairn.Maintenance.Forget;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Tests.Forget;

public sealed class KeepPolicyTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
    private static readonly SnapshotGroupKey s_key = SnapshotGroupKey.For(new Snapshot(), GroupBy.None);

    private static (Id Id, Snapshot Snapshot) Snap(string time, params string[] tags)
    {
        var snapshot = new Snapshot { Time = NodeTime.Parse(time), Paths = ["/data"], Hostname = "h", Tags = tags.Length == 0 ? null : tags };
        return (Id.Hash(System.Text.Encoding.UTF8.GetBytes(time + string.Join(",", tags))), snapshot);
    }

    private static List<string> KeptTimes(KeepPolicy policy, params (Id, Snapshot)[] snapshots) =>
        [.. policy.Apply(s_key, snapshots, s_now).Keep.Select(s => s.Snapshot.Time.ToString())];

    [Fact]
    public void Keep_daily_keeps_the_newest_snapshot_of_each_of_the_last_days_that_have_one()
    {
        var kept = KeptTimes(new KeepPolicy { Daily = 3 },
            Snap("2022-01-03T10:00:00Z"), Snap("2022-01-03T12:30:00Z"), Snap("2022-01-09T23:59:00Z"),
            Snap("2022-01-10T00:00:01Z"), Snap("2022-02-01T00:00:00Z"), Snap("2023-01-01T01:00:00Z"));
        kept.Should().Equal("2023-01-01T01:00:00Z", "2022-02-01T00:00:00Z", "2022-01-10T00:00:01Z");
    }

    [Fact]
    public void Periods_are_read_in_the_offset_each_snapshot_was_recorded_with()
    {
        // 01:00 at +05:30 is 19:30 UTC on the previous day, yet it is a snapshot of January 2.
        var kept = KeptTimes(new KeepPolicy { Daily = 2 },
            Snap("2021-12-30T10:00:00Z"), Snap("2022-01-02T01:00:00+05:30"), Snap("2022-01-01T20:00:00Z"));
        kept.Should().Equal("2022-01-01T20:00:00Z", "2022-01-02T01:00:00+05:30");
    }

    [Fact]
    public void Weeks_are_iso_weeks_so_new_years_day_can_belong_to_the_previous_year()
    {
        var kept = KeptTimes(new KeepPolicy { Weekly = 2 },
            Snap("2022-12-26T09:00:00Z"), Snap("2023-01-01T09:00:00Z"), Snap("2023-01-02T09:00:00Z"));
        kept.Should().Equal("2023-01-02T09:00:00Z", "2023-01-01T09:00:00Z");
    }

    [Fact]
    public void Keep_last_counts_snapshots_with_equal_times_separately()
    {
        var a = Snap("2021-12-30T10:00:00Z", "a");
        var b = Snap("2021-12-30T10:00:00Z", "b");
        KeptTimes(new KeepPolicy { Last = 2 }, a, b, Snap("2021-12-29T10:00:00Z")).Should().HaveCount(2).And.OnlyContain(t => t == "2021-12-30T10:00:00Z");
    }

    [Fact]
    public void Keep_within_keeps_only_snapshots_strictly_newer_than_the_cutoff()
    {
        var kept = KeptTimes(new KeepPolicy { Within = RetentionDuration.Parse("1m") },
            Snap("2022-02-28T12:00:00Z"), Snap("2022-03-03T11:59:59Z"), Snap("2022-03-03T12:00:00Z"),
            Snap("2022-03-03T12:00:01Z"), Snap("2022-03-31T12:00:00Z"));
        kept.Should().Equal("2022-03-31T12:00:00Z", "2022-03-03T12:00:01Z");
    }

    [Fact]
    public void Span_rules_measure_from_the_newest_snapshot_that_is_not_in_the_future()
    {
        var snapshots = new[] { Snap("2026-11-20T10:00:00Z"), Snap("2026-11-25T10:00:00Z"), Snap("2026-11-26T10:00:00Z"), Snap("2027-01-05T10:00:00Z") };
        KeptTimes(new KeepPolicy { Within = RetentionDuration.Parse("2d") }, snapshots)
            .Should().Equal("2027-01-05T10:00:00Z", "2026-11-26T10:00:00Z", "2026-11-25T10:00:00Z");
        KeptTimes(new KeepPolicy { WithinDaily = RetentionDuration.Parse("2d") }, snapshots)
            .Should().Equal("2027-01-05T10:00:00Z", "2026-11-26T10:00:00Z", "2026-11-25T10:00:00Z");
    }

    [Fact]
    public void Span_rules_keep_everything_when_every_snapshot_lies_in_the_future()
    {
        KeptTimes(new KeepPolicy { Within = RetentionDuration.Parse("1d") }, Snap("2027-01-01T10:00:00Z"), Snap("2027-01-05T10:00:00Z"))
            .Should().HaveCount(2);
    }

    [Fact]
    public void Within_daily_keeps_one_per_day_only_inside_the_span_without_a_count()
    {
        var kept = KeptTimes(new KeepPolicy { WithinDaily = RetentionDuration.Parse("7d") },
            Snap("2025-04-21T11:00:00Z"), Snap("2025-04-25T11:00:00Z"), Snap("2025-04-25T23:00:00Z"), Snap("2025-04-28T11:00:00Z"),
            Snap("2025-04-29T11:00:00Z"), Snap("2025-05-01T11:00:00Z"), Snap("2025-05-02T11:00:00Z"), Snap("2025-05-02T23:00:00Z"));
        kept.Should().Equal("2025-05-02T23:00:00Z", "2025-05-01T11:00:00Z", "2025-04-29T11:00:00Z", "2025-04-28T11:00:00Z");
    }

    [Fact]
    public void Tag_lists_need_all_their_tags_and_the_empty_tag_means_untagged()
    {
        var snapshots = new[] { Snap("2022-01-01T10:00:00Z", "b", "a"), Snap("2022-01-02T10:00:00Z", "a"), Snap("2022-01-03T10:00:00Z") };
        KeptTimes(new KeepPolicy { Tags = [TagList.Parse("a,b")] }, snapshots).Should().Equal("2022-01-01T10:00:00Z");
        KeptTimes(new KeepPolicy { Tags = [TagList.Parse("")] }, snapshots).Should().Equal("2022-01-03T10:00:00Z");
        KeptTimes(new KeepPolicy { Tags = [TagList.Parse(" a")] }, snapshots).Should().Equal("2022-01-02T10:00:00Z", "2022-01-01T10:00:00Z");
        KeptTimes(new KeepPolicy { Tags = [TagList.Parse("a,")] }, snapshots).Should().BeEmpty();
    }

    [Fact]
    public void Reasons_list_every_rule_and_the_counters_left_as_restic_reports_them()
    {
        var policy = new KeepPolicy { Last = 5, Daily = 1, WithinDaily = RetentionDuration.Parse("10d"), Tags = [TagList.Parse("a")], Within = RetentionDuration.Parse("1d") };
        var decision = policy.Apply(s_key, [Snap("2022-01-01T10:00:00Z", "a"), Snap("2022-01-02T10:00:00Z")], s_now);
        decision.Reasons[0].Matches.Should().Equal("within 1d", "last snapshot", "daily snapshot", "daily within 10d");
        decision.Reasons[0].Counters.Should().BeEquivalentTo(new Dictionary<string, int> { ["last"] = 4 });
        decision.Reasons[1].Matches.Should().Equal("has tags [a]", "last snapshot", "daily within 10d");
        decision.Reasons[1].Counters.Should().BeEquivalentTo(new Dictionary<string, int> { ["last"] = 3 });
        decision.Remove.Should().BeEmpty();
    }

    [Fact]
    public void An_empty_policy_keeps_everything_and_a_negative_one_is_refused()
    {
        var snapshots = new[] { Snap("2022-01-01T10:00:00Z"), Snap("2022-01-02T10:00:00Z") };
        new KeepPolicy().IsEmpty.Should().BeTrue();
        new KeepPolicy().Apply(s_key, snapshots, s_now).Keep.Should().HaveCount(2);
        new KeepPolicy { Last = -1 }.Problem().Should().Be("--keep-last must not be negative");
        var refuse = () => new KeepPolicy { Within = RetentionDuration.Parse("-1d") }.Apply(s_key, snapshots, s_now);
        refuse.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Groups_by_host_sorted_paths_and_sorted_tags()
    {
        var one = (Id.Random(), new Snapshot { Hostname = "h", Paths = ["/b", "/a"], Tags = ["y", "x"] });
        var two = (Id.Random(), new Snapshot { Hostname = "h", Paths = ["/a", "/b"], Tags = ["x", "y"] });
        var three = (Id.Random(), new Snapshot { Hostname = "g", Paths = ["/a", "/b"], Tags = [] });
        ForgetPlanner.Group([one, two, three], GroupBy.Host | GroupBy.Paths | GroupBy.Tags).Should().HaveCount(2);
        ForgetPlanner.Group([one, two, three], GroupBy.Paths).Should().ContainSingle().Which.Key.Host.Should().BeEmpty();
        var byTags = ForgetPlanner.Group([one, two, three], GroupBy.Tags);
        byTags.Select(g => g.Key.Tags is null ? "null" : string.Join(",", g.Key.Tags)).Should().BeEquivalentTo(["null", "x,y"]);
    }

    [Fact]
    public void Filters_take_any_host_any_tag_list_and_all_paths()
    {
        var filter = new SnapshotFilter { Hosts = ["a", "b"], Tags = [TagList.Parse("x,y"), TagList.Parse("z")], Paths = ["/p", "/q"] };
        filter.Matches(new Snapshot { Hostname = "b", Tags = ["z"], Paths = ["/q", "/p", "/r"] }).Should().BeTrue();
        filter.Matches(new Snapshot { Hostname = "b", Tags = ["x"], Paths = ["/q", "/p"] }).Should().BeFalse();
        filter.Matches(new Snapshot { Hostname = "c", Tags = ["z"], Paths = ["/q", "/p"] }).Should().BeFalse();
        filter.Matches(new Snapshot { Hostname = "a", Tags = ["y", "x"], Paths = ["/p"] }).Should().BeFalse();
    }
}
