namespace Cairn.Cli;

/// <summary>restic's exit codes, so scripts written for restic work unchanged.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int PartialBackup = 3;

    /// <summary><c>cairn agent run</c>: Space refused the agent's token (revoked); systemd does not restart it (RestartPreventExitStatus).</summary>
    public const int AgentRevoked = 4;
    public const int NoRepository = 10;
    public const int LockFailed = 11;
    public const int WrongPassword = 12;
    public const int Interrupted = 130;
}
