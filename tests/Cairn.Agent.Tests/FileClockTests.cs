using Cairn.Agent.Scheduling;
using Cairn.Agent.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>
/// The agent's test clock (CAIRN_AGENT_TEST_CLOCK): "now" is the file's instant, running on with the real clock
/// (here a fake one the test moves) until the file is written again; a file caught half written changes nothing.
/// </summary>
public sealed class FileClockTests : IDisposable
{
    private static readonly DateTimeOffset Real = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Scratch _folder = new();
    private readonly FakeTimeProvider _real = new(Real);
    private readonly List<string> _log = [];

    private string ClockFile => _folder.Combine("clock");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Now_is_the_files_instant_and_runs_on_with_the_real_clock()
    {
        Write("2026-05-01T00:29:50Z", 1);
        using var clock = new FileClock(ClockFile, _real, _log.Add);
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 5, 1, 0, 29, 50, TimeSpan.Zero));

        _real.Advance(TimeSpan.FromSeconds(7));
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 5, 1, 0, 29, 57, TimeSpan.Zero));
        _log.Should().BeEmpty("the clock did not move");
    }

    [Fact]
    public void Writing_the_file_moves_the_clock_at_the_next_look()
    {
        Write("2026-05-01T00:29:50Z", 1);
        using var clock = new FileClock(ClockFile, _real, _log.Add);
        _real.Advance(TimeSpan.FromSeconds(3));

        Write("2026-05-02T00:30:05Z", 2);
        _real.Advance(FileClock.PollInterval);
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 5, 2, 0, 30, 5, TimeSpan.Zero));
        _log.Should().ContainSingle().Which.Should().Contain("test clock moved to 2026-05-02T00:30:05");

        _real.Advance(TimeSpan.FromSeconds(2));
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 5, 2, 0, 30, 7, TimeSpan.Zero), "from the new instant time runs on");
    }

    [Fact]
    public void A_half_written_file_keeps_the_time_until_it_holds_an_instant()
    {
        Write("2026-05-01T00:00:00Z", 1);
        using var clock = new FileClock(ClockFile, _real, _log.Add);

        Write("", 2);
        _real.Advance(FileClock.PollInterval);
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero) + FileClock.PollInterval);

        // Same modification time as the empty read: the content is still read again, as the empty file was not taken.
        Write("2026-06-01T00:00:00Z", 2);
        _real.Advance(FileClock.PollInterval);
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_file_without_an_instant_is_refused_at_start()
    {
        Write("tomorrow", 1);
        var start = () => new FileClock(ClockFile, _real, _log.Add);
        start.Should().Throw<InvalidOperationException>().WithMessage("*CAIRN_AGENT_TEST_CLOCK*");
    }

    /// <summary>Writes the file with a modification time of its own, so two writes in one tick still differ.</summary>
    private void Write(string text, int version)
    {
        File.WriteAllText(ClockFile, text);
        File.SetLastWriteTimeUtc(ClockFile, new DateTime(2020, 1, 1, 0, 0, version, DateTimeKind.Utc));
    }
}
