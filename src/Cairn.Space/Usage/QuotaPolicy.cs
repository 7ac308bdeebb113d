using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Usage;

/// <summary>
/// Decides whether an account may upload new objects. Refusals never touch stored data: reads, restores, deletes
/// and lock files keep working, so a capped or unpaid account can always get its data back.
/// </summary>
public sealed class QuotaPolicy(SpaceDbContext db, StorageMetering metering)
{
    public async Task<UploadRefusal?> CheckUploadAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return new UploadRefusal(StatusCodes.Status403Forbidden, "Account closed: uploads refused");
        }

        if (account.UnpaidBalance > 0)
        {
            return new UploadRefusal(StatusCodes.Status402PaymentRequired,
                $"Payment required: unpaid balance of {account.UnpaidBalance:0.00}; uploads paused, existing backups can still be restored");
        }

        if (account.SpendingCap is not { } cap)
        {
            return null;
        }

        var report = await metering.ReportAsync(account, cancellationToken).ConfigureAwait(false);

        // Free usage never counts against a cap, not even a cap of zero.
        if (report.ProjectedCharge > 0 && report.ProjectedCharge >= cap)
        {
            return new UploadRefusal(StatusCodes.Status507InsufficientStorage,
                $"Spending cap reached: {report.ProjectedCharge:0.00} of {cap:0.00} {report.Currency} this month; uploads paused, existing backups can still be restored");
        }

        return null;
    }
}

/// <summary>Why an upload is refused: an HTTP status and a one-line message restic prints as it is.</summary>
public sealed record UploadRefusal(int StatusCode, string Message);
