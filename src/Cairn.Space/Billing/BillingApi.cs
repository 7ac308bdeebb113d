using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Billing;

/// <summary>The account's ledger and balance, its monthly storage bills, and top-ups through a payment provider.</summary>
public static class BillingApi
{
    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/billing").WithTags("Billing").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapGet("/ledger", GetLedgerAsync);
        api.MapGet("/bills", GetBillsAsync);
        api.MapPost("/top-ups", TopUpAsync);
        return app;
    }

    private static async Task<Ok<LedgerResponse>> GetLedgerAsync(ClaimsPrincipal user, Ledger ledger, PriceSheet prices, CancellationToken cancellationToken)
    {
        var entries = await ledger.EntriesAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new LedgerResponse(prices.Currency, entries.Sum(e => e.Amount), [.. entries.Select(LedgerEntryResponse.From)]));
    }

    private static async Task<Ok<BillResponse[]>> GetBillsAsync(ClaimsPrincipal user, MonthlyBilling billing, CancellationToken cancellationToken)
        => TypedResults.Ok((await billing.BillsAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false))
            .Select(b => new BillResponse(b.Id, b.Month, b.StorageCharge, b.CarriedIn, b.Amount, b.Charged, b.CarriedOut)).ToArray());

    /// <summary>The owner tops up through the installed payment provider (none installed: 501, the operator tops up instead).</summary>
    private static async Task<Results<Created<LedgerEntryResponse>, ProblemHttpResult>> TopUpAsync(TopUpRequest request, ClaimsPrincipal user,
        PaymentTopUps topUps, CancellationToken cancellationToken)
    {
        if (topUps.Provider is null)
        {
            return TypedResults.Problem("No payment provider is set up on this Space; ask its operator to top up your account.",
                statusCode: StatusCodes.Status501NotImplemented);
        }

        try
        {
            var entry = await topUps.TopUpAsync(user.GetAccountId(), request.Amount, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created("/api/v1/billing/ledger", LedgerEntryResponse.From(entry));
        }
        catch (DomainRuleException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (PaymentFailedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status402PaymentRequired, title: "Payment failed");
        }
    }
}

public sealed record TopUpRequest(decimal Amount);

public sealed record LedgerResponse(string Currency, decimal Balance, IReadOnlyList<LedgerEntryResponse> Entries);

/// <summary>One ledger entry; <see cref="OrderId"/>, <see cref="BillId"/> or <see cref="Reference"/> says where it came from.</summary>
public sealed record LedgerEntryResponse(Guid Id, DateTimeOffset At, string Kind, decimal Amount, string Description, Guid? OrderId, Guid? BillId,
    string? Reference)
{
    public static LedgerEntryResponse From(LedgerEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new LedgerEntryResponse(e.Id, e.At, e.Kind.ToString(), e.Amount, e.Description, e.OrderId, e.BillId, e.Reference);
    }
}

public sealed record BillResponse(Guid Id, string Month, decimal StorageCharge, decimal CarriedIn, decimal Amount, bool Charged, decimal CarriedOut);
