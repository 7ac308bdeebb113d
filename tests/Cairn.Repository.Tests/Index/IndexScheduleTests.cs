using Cairn.Testing;

namespace Cairn.Repository.Tests.Index;

/// <summary>When a backup writes an index file for the packs it has stored: on count, on blobs, and on age.</summary>
public sealed class IndexScheduleTests
{
    [Fact]
    public void An_index_is_due_at_the_sixteenth_pack_and_not_before()
    {
        var schedule = new IndexSchedule(new TestClock());

        var due = Enumerable.Range(0, IndexSchedule.EveryPacks).Select(_ => schedule.PackStored(blobs: 10)).ToList();

        due.Should().Equal([.. Enumerable.Repeat(false, IndexSchedule.EveryPacks - 1), true]);
    }

    [Fact]
    public void An_index_is_due_once_the_packs_hold_enough_blobs()
    {
        var schedule = new IndexSchedule(new TestClock());

        schedule.PackStored(blobs: IndexSchedule.EveryBlobs - 1).Should().BeFalse();
        schedule.PackStored(blobs: 1).Should().BeTrue();
    }

    [Fact]
    public void An_index_is_due_when_the_oldest_unindexed_pack_has_waited_five_minutes()
    {
        var clock = new TestClock();
        var schedule = new IndexSchedule(clock);

        schedule.PackStored(blobs: 10).Should().BeFalse();
        clock.Advance(IndexSchedule.AtLeastEvery - TimeSpan.FromSeconds(1));
        schedule.PackStored(blobs: 10).Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        schedule.PackStored(blobs: 10).Should().BeTrue();
    }

    [Fact]
    public void Indexing_starts_the_count_and_the_wait_again()
    {
        var clock = new TestClock();
        var schedule = new IndexSchedule(clock);
        schedule.PackStored(blobs: 10);
        clock.Advance(IndexSchedule.AtLeastEvery);
        schedule.PackStored(blobs: 10).Should().BeTrue();

        schedule.Indexed();

        schedule.PackStored(blobs: 10).Should().BeFalse("the wait counts from the first pack after the last index");
    }
}
