namespace Cairn.Space.Billing;

/// <summary>
/// An owner's own top-up through the installed <see cref="IPaymentProvider"/>, for the API and the console alike:
/// the amount is checked, the provider collects, then the ledger records it with the provider's reference.
/// </summary>
public sealed class PaymentTopUps(Ledger ledger, Usage.PriceSheet prices, IServiceProvider services)
{
    /// <summary>The installed provider; null when none is, and only the operator tops up.</summary>
    public IPaymentProvider? Provider { get; } = services.GetService<IPaymentProvider>();

    /// <summary>
    /// <see cref="InvalidOperationException"/> when no provider is installed, <see cref="DomainRuleException"/> for a
    /// bad amount, <see cref="PaymentFailedException"/> when the provider did not collect.
    /// </summary>
    public async Task<LedgerEntry> TopUpAsync(Guid accountId, decimal amount, CancellationToken cancellationToken)
    {
        var provider = Provider ?? throw new InvalidOperationException("no payment provider is installed");
        if (amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            throw new DomainRuleException("a top-up is a positive amount in whole cents");
        }

        var reference = await provider.CollectAsync(accountId, amount, prices.Currency, cancellationToken).ConfigureAwait(false);
        return await ledger.TopUpAsync(accountId, amount, $"{provider.Name}:{reference}", cancellationToken).ConfigureAwait(false);
    }
}
