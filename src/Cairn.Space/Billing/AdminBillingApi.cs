using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Billing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Billing;

/// <summary>Operator-only billing: top up an account, close ended months into bills now.</summary>
public static class AdminBillingApi
{
    public static IEndpointRouteBuilder MapAdminBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(SpaceClaims.OperatorPolicy);
        api.MapPost("/accounts/{email}/top-up", TopUpAsync);
        api.MapPost("/billing/close-months", CloseMonthsAsync);
        return app;
    }

    /// <summary>The operator adds money; the reason, when given, is the ledger entry's description ("Top-up: bank transfer").</summary>
    private static async Task<Created<LedgerEntryResponse>> TopUpAsync(string email, AdminTopUpRequest request, ClaimsPrincipal user, Ledger ledger,
        CancellationToken cancellationToken)
    {
        var account = await ledger.AccountByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        var entry = await ledger.TopUpAsync(account.Id, request.Amount, OperatorReference(user.GetAccountId()), cancellationToken, request.Reason)
            .ConfigureAwait(false);
        return TypedResults.Created("/api/v1/billing/ledger", LedgerEntryResponse.From(entry));
    }

    private static async Task<Ok<CloseMonthsResponse>> CloseMonthsAsync(MonthlyBilling billing, CancellationToken cancellationToken)
        => TypedResults.Ok(new CloseMonthsResponse(await billing.CloseEndedMonthsAsync(cancellationToken).ConfigureAwait(false)));

    /// <summary>What an operator's top-up records as who paid: the operator's account.</summary>
    public static string OperatorReference(Guid operatorId) => $"operator:{operatorId}";
}

/// <summary>An operator's top-up; <see cref="Reason"/> (optional, up to 200 characters) lands in the ledger entry.</summary>
public sealed record AdminTopUpRequest(decimal Amount, string? Reason = null);

public sealed record CloseMonthsResponse(int BillsMade);
