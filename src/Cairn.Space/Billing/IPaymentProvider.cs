namespace Cairn.Space.Billing;

/// <summary>
/// Collects money for a top-up (a card processor, an invoice system). Register one in the services to let owners
/// top up themselves (<c>POST /api/v1/billing/top-ups</c>); without one, only the operator tops up. An implementation
/// must have collected the money when it returns a reference, and must throw <see cref="PaymentFailedException"/>
/// with a message for the owner when it did not; the reference is kept on the ledger entry to trace the payment.
/// </summary>
public interface IPaymentProvider
{
    string Name { get; }

    /// <summary>False for a test or demonstration provider that collects nothing; the console says so beside its form.</summary>
    bool CollectsRealMoney => true;

    Task<string> CollectAsync(Guid accountId, decimal amount, string currency, CancellationToken cancellationToken);
}

/// <summary>The payment provider did not collect the money; the message is for the owner.</summary>
public sealed class PaymentFailedException(string message) : Exception(message);
