namespace Cairn.Agent.State;

/// <summary>
/// What enrollment left in <c>agent.json</c>: where Space is, who the agent is, its token, and where the backup
/// password comes from (the <c>password</c> file, or a reference to the owner's own file or command).
/// </summary>
public sealed record AgentIdentity
{
    public required string Space { get; init; }

    public required string AgentId { get; init; }

    public required string Token { get; init; }

    public required string Instance { get; init; }

    /// <summary>The owner's password file (given with <c>--password-file</c>); read at every run, never copied.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>The owner's password command (given with <c>--password-command</c>); run at every run.</summary>
    public string? PasswordCommand { get; init; }
}
