using Cairn.Space.Accounts;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Web;

/// <summary>
/// Whether the console's signed-in account is an operator, read from the database on each request (the console
/// cookie carries no role, so an account made operator, or no longer one, is seen at once). Memoized per request.
/// </summary>
public sealed class OperatorCheck(SpaceDbContext db)
{
    private bool? _answer;

    public async Task<bool> IsOperatorAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_answer is { } known)
        {
            return known;
        }

        var id = context.User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleAuthentication.Scheme }
                 && Guid.TryParse(context.User.FindFirst(SpaceClaims.AccountId)?.Value, out var accountId)
            ? accountId
            : (Guid?)null;
        _answer = id is { } account && await db.Accounts.AsNoTracking().AnyAsync(a => a.Id == account && a.IsOperator, context.RequestAborted)
            .ConfigureAwait(false);
        return _answer.Value;
    }
}
