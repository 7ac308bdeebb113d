namespace Cairn.Agent.Protocol;

public sealed record EnrollRequest(string Code, string Hostname, string AgentVersion);

public sealed record EnrollResponse(string AgentId, string Token, string Instance);

public sealed record ErrorResponse(string? Error);

/// <summary>The answer of <c>GET /agent/sync</c>: the plans at a revision and the pending commands.</summary>
public sealed record SyncResponse
{
    public long Revision { get; init; }

    public IReadOnlyList<PlanDocument> Plans { get; init; } = [];

    public IReadOnlyList<CommandDocument> Commands { get; init; } = [];
}

/// <summary>A command: <c>kind</c> is backupNow (planId), cancel (runId) or restore (planId, restore).</summary>
public sealed record CommandDocument
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public string? PlanId { get; init; }

    public string? RunId { get; init; }

    public RestoreDocument? Restore { get; init; }
}

public sealed record RestoreDocument
{
    public string Snapshot { get; init; } = "latest";

    public string? Target { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public string Overwrite { get; init; } = "ifChanged";
}

public static class CommandKinds
{
    public const string BackupNow = "backupNow";
    public const string Cancel = "cancel";
    public const string Restore = "restore";
}
