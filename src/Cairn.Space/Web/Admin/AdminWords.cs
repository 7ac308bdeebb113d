using Cairn.Space.Accounts;
using Cairn.Space.Web.Formatting;

namespace Cairn.Space.Web.Admin;

/// <summary>An account's state as the operator reads it.</summary>
public static class AdminWords
{
    public static string SignIn(Account account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.IsLockedByOperator ? "Locked by the operator"
            : account.IsLockedAt(now) ? $"Locked after {account.FailedSignIns} failed sign-ins until {HumanTime.Utc(account.LockedUntil!.Value)}"
            : account.FailedSignIns > 0 ? $"Open ({account.FailedSignIns} failed in a row)"
            : "Open";
    }
}
