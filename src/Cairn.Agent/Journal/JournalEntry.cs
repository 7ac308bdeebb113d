using Cairn.Agent.Protocol;

namespace Cairn.Agent.Journal;

/// <summary>One run as the journal keeps it: its id, its last state, and whether Space has accepted that state.</summary>
public sealed record JournalEntry
{
    public required string RunId { get; init; }

    public required RunReport Report { get; init; }

    public bool Accepted { get; init; }

    /// <summary>The agent stopped (SIGTERM) during this run: its plan runs again at the next start.</summary>
    public bool ResumeOnStart { get; init; }
}
