using Cairn.Space.CloudRestore;

namespace Cairn.Space.Web.Formatting;

/// <summary>The domain's messages ("a valid email address is required") as sentences for a page.</summary>
public static class PlainWords
{
    public static string Sentence(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Trim();
        if (text.Length == 0)
        {
            return text;
        }

        text = char.ToUpperInvariant(text[0]) + text[1..];
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";
    }

    /// <summary>Whether the exception is one whose message is meant for the person using Space.</summary>
    public static bool IsForPeople(Exception exception)
        => exception is DomainRuleException or ConflictException or NotFoundException or AccessDeniedException
            or TooManyRequestsException or WrongBackupPasswordException;

    /// <summary>A cloud instance's state in words ("Needs the backup password"), never its API name ("Restore_error").</summary>
    public static string State(CloudInstanceState state) => state switch
    {
        CloudInstanceState.Unpaid => "Unpaid",
        CloudInstanceState.Pending => "Paid, waiting to install",
        CloudInstanceState.Installing => "Installing",
        CloudInstanceState.Restoring => "Restoring",
        CloudInstanceState.Running => "Running",
        CloudInstanceState.RestoreError => "Needs the backup password",
        CloudInstanceState.Errored => "Failed",
        CloudInstanceState.Destroying => "Being returned",
        CloudInstanceState.Destroyed => "Returned",
        CloudInstanceState.Canceled => "Canceled",
        _ => state.ToString(),
    };
}
