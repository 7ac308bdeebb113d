using System.Text.Json;
using Cairn.Maintenance.Migrate;
using Cairn.Repository;
using Cairn.Restore;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>Maps every failure users must tell apart to one clear line and its exit code; never a stack trace.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter error)
    {
        var (code, message) = Classify(exception);
        error.WriteLine($"Fatal: {message}");
        if (Environment.GetEnvironmentVariable("CAIRN_DEBUG") == "1")
        {
            error.WriteLine(exception.ToString());
        }

        return code;
    }

    public static (int Code, string Message) Classify(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Classify(a.InnerExceptions[0]),
        OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
        WrongPasswordException e => (ExitCodes.WrongPassword, e.Message),
        RepositoryNotFoundException e => (ExitCodes.NoRepository, e.Message),
        StoreNotFoundException e => (ExitCodes.NoRepository, $"repository does not exist: {e.Message}"),
        RepositoryLockedException e => (ExitCodes.LockFailed, e.Message),
        CorruptedDataException e => (ExitCodes.Error, e.Message),
        UnsafeSnapshotException e => (ExitCodes.Error, e.Message),
        RepositoryException e => (ExitCodes.Error, e.Message),
        StorageException e => (ExitCodes.Error, e.Message),
        MigrationFailedException e => (ExitCodes.Error, e.Message),
        UsageException e => (ExitCodes.Error, e.Message),
        StoreLocationException e => (ExitCodes.Error, e.Message),
        JsonException e => (ExitCodes.Error, "invalid JSON: " + e.Message),
        IOException e => (ExitCodes.Error, e.Message),
        UnauthorizedAccessException e => (ExitCodes.Error, e.Message),
        _ => (ExitCodes.Error, $"{exception.GetType().Name}: {exception.Message}"),
    };
}

/// <summary>The command line asks for something that cannot be done as given.</summary>
public sealed class UsageException(string message) : Exception(message);
