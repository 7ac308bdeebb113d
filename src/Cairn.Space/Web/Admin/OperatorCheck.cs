using Cairn.Space.Accounts;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Web;

/// <summary>
/// Whether the console's signed-in account is an operator, read from the database on each request (the console
/// cookie carries no role, so an account made operator, or no longer one, is seen at once). Memoized per request:
/// the layout and the page ask at once, and share one lookup.
/// </summary>
/// <remarks>
/// The lookup runs on a database context of its own. The layout asks while the page's own queries run on the
/// request's context, and a context takes one operation at a time (the second one throws, a 500 under load).
/// </remarks>
public sealed class OperatorCheck(IServiceScopeFactory scopes)
{
    private Task<bool>? _answer;

    public Task<bool> IsOperatorAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleAuthentication.Scheme }
                 && Guid.TryParse(context.User.FindFirst(SpaceClaims.AccountId)?.Value, out var accountId)
            ? accountId
            : (Guid?)null;
        return _answer ??= id is { } account ? LookUpAsync(account, context.RequestAborted) : Task.FromResult(false);
    }

    private async Task<bool> LookUpAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
        return await db.Accounts.AsNoTracking().AnyAsync(a => a.Id == accountId && a.IsOperator, cancellationToken).ConfigureAwait(false);
    }
}
