namespace Cairn.Space.CloudRestore;

/// <summary>
/// The life of a restored cloud instance. Unpaid → Pending → Installing → Restoring → Running; RestoreError when the
/// backup password is wrong or was lost with a restart (a new password resumes the install); Errored with a reason;
/// Destroying → Destroyed on return; Canceled for an order never paid.
/// </summary>
public enum CloudInstanceState
{
    Unpaid = 0,
    Pending = 1,
    Installing = 2,
    Restoring = 3,
    Running = 4,
    RestoreError = 5,
    Errored = 6,
    Destroying = 7,
    Destroyed = 8,
    Canceled = 9,
}

/// <summary>The names clients see (the API contract spells the password state <c>Restore_error</c>).</summary>
public static class CloudInstanceStates
{
    public static string ToApiName(this CloudInstanceState state)
        => state == CloudInstanceState.RestoreError ? "Restore_error" : state.ToString();

    /// <summary>Whether the instance still holds its name (every state but the two ends).</summary>
    public static bool HoldsName(this CloudInstanceState state)
        => state is not (CloudInstanceState.Destroyed or CloudInstanceState.Canceled);

    /// <summary>Whether the job runner drives the instance on (Pending, Installing, Restoring, Destroying).</summary>
    public static bool IsWorking(this CloudInstanceState state)
        => state is CloudInstanceState.Pending or CloudInstanceState.Installing or CloudInstanceState.Restoring or CloudInstanceState.Destroying;
}
