using Cairn.Agent.Protocol;
using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Agent.Running;

/// <summary>A run's failure as one sentence for the console: the engine's own messages, with a hint where one helps.</summary>
public static class RunErrors
{
    public static string InPlainWords(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            RunFailedException e => e.Message,
            WrongPasswordException => "the backup password does not open this repository (enroll with the password the repository was made with)",
            RepositoryException e => e.Message,
            StorageException e => "the repository could not be reached: " + e.Message,
            SpaceUnreachableException e => e.Message,
            UnauthorizedAccessException e => "permission denied: " + e.Message,
            IOException e => e.Message,
            _ => error.GetType().Name + ": " + error.Message,
        };
    }

    /// <summary>Whether the failure is one the engine or the run names itself (no stack trace worth logging).</summary>
    public static bool IsExpected(Exception error) =>
        error is RunFailedException or RepositoryException or StorageException or SpaceUnreachableException or UnauthorizedAccessException or IOException;
}
