namespace Cairn.Cli;

/// <summary>restic's exit codes, so scripts written for restic work unchanged.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int PartialBackup = 3;
    public const int NoRepository = 10;
    public const int LockFailed = 11;
    public const int WrongPassword = 12;
    public const int Interrupted = 130;
}
