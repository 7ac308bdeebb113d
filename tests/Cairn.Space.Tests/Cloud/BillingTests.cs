using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// Monthly bills from the storage metering, with amounts under 1.00 carried into the next bill, and top-ups through
/// a payment provider. Free allowance 1 MB; test prices per GB-month 100000 (up to 0.001) then 50000.
/// </summary>
public abstract class BillingTests(DatabaseKind database)
{
    private const long OverBytes = 5_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Storage_becomes_monthly_bills_and_a_bill_under_one_is_carried_into_the_next()
    {
        await using var space = new CloudSpace(database);
        await space.StartAsync();
        var owner = await CloudClient.SignUpAsync(space);
        var instance = $"b{Guid.NewGuid().ToString("N")[..10]}.olares";
        (await owner.Api.PostAsJsonAsync("/api/v1/instances", new { name = instance }, Ct)).EnsureSuccessStatusCode();
        var credential = (await (await owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/credentials", new { task = "main" }, Ct))
            .Content.ReadFromJsonAsync<MintedCredentialResponse>(Ct))!;
        var repo = space.CreateClient();
        repo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")));
        (await repo.CreateAsync(instance, "main")).EnsureSuccessStatusCode();
        await repo.UploadObjectAsync(instance, "main", "data", Objects.Random(1_000_000 + (int)OverBytes));

        async Task<int> CloseAtAsync(DateTimeOffset moment)
        {
            space.Clock.Set(moment);
            var admin = await CloudClient.OperatorAsync(space); // tokens expire as the months pass
            var response = await admin.Api.PostAsync("/api/v1/admin/billing/close-months", null, Ct);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return (await response.Content.ReadFromJsonAsync<CloseMonthsResponse>(Ct))!.BillsMade;
        }

        (await CloseAtAsync(SpaceFactory.Start)).Should().Be(0, "March has not ended");
        // One bill per account a month: the owner's and the operator's.
        (await CloseAtAsync(new DateTimeOffset(2026, 4, 1, 1, 0, 0, TimeSpan.Zero))).Should().Be(2);
        (await CloseAtAsync(new DateTimeOffset(2026, 4, 20, 0, 0, 0, TimeSpan.Zero))).Should().Be(0, "each month is billed once");
        (await CloseAtAsync(new DateTimeOffset(2026, 5, 1, 1, 0, 0, TimeSpan.Zero))).Should().Be(2);
        (await CloseAtAsync(new DateTimeOffset(2026, 6, 1, 1, 0, 0, TimeSpan.Zero))).Should().Be(2);

        // Expected by hand: 5000 bytes over the allowance, from 10 March 08:00 (520 h of March), then all of April and May.
        var prices = PriceSheet.Load(Path.Combine(AppContext.BaseDirectory, "test-pricesheet.json"));
        var gb = OverBytes / MeteringMath.BytesPerGb;
        var march = prices.Price("test", gb * 520 / 744);
        var april = prices.Price("test", gb * 720 / 720);
        var may = prices.Price("test", gb * 744 / 744);
        (march < 1m && march + april < 1m && march + april + may >= 1m).Should().BeTrue("the figures are chosen to carry twice, then charge");

        owner = await CloudClient.SignInAsync(space, owner.Email, CloudClient.AccountPassword);
        var bills = (await owner.Api.GetFromJsonAsync<BillResponse[]>("/api/v1/billing/bills", Ct))!;
        bills.Select(b => (b.Month, b.StorageCharge, b.CarriedIn, b.Amount, b.Charged)).Should().Equal(
            ("2026-03", march, 0m, march, false),
            ("2026-04", april, march, march + april, false),
            ("2026-05", may, march + april, march + april + may, true));
        var ledger = await owner.LedgerAsync();
        var entry = ledger.Entries.Should().ContainSingle().Subject;
        entry.Kind.Should().Be("StorageBill");
        entry.BillId.Should().Be(bills[2].Id);
        entry.Amount.Should().Be(-(march + april + may));
        entry.Description.Should().Contain("2026-05").And.Contain("carried");
    }

    [Fact]
    public async Task Owners_top_up_through_the_payment_provider_and_a_failed_payment_adds_nothing()
    {
        await using var space = new CloudSpace(database);
        await space.StartAsync(services: s => s.AddSingleton<IPaymentProvider, TestPayments>());
        var owner = await CloudClient.SignUpAsync(space);

        var created = await owner.Api.PostAsJsonAsync("/api/v1/billing/top-ups", new { amount = 25.50m }, Ct);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var refused = await owner.Api.PostAsJsonAsync("/api/v1/billing/top-ups", new { amount = TestPayments.Declined }, Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        (await refused.Content.ReadAsStringAsync(Ct)).Should().Contain("card declined");
        (await owner.Api.PostAsJsonAsync("/api/v1/billing/top-ups", new { amount = -3m }, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var ledger = await owner.LedgerAsync();
        ledger.Balance.Should().Be(25.50m);
        ledger.Entries.Should().ContainSingle().Which.Reference.Should().Be("testpay:payment-25.50");
    }

    [Fact]
    public async Task Without_a_payment_provider_only_the_operator_tops_up()
    {
        await using var space = new CloudSpace(database);
        await space.StartAsync();
        var owner = await CloudClient.SignUpAsync(space);
        (await owner.Api.PostAsJsonAsync("/api/v1/billing/top-ups", new { amount = 10m }, Ct)).StatusCode.Should().Be(HttpStatusCode.NotImplemented);
        var admin = await CloudClient.OperatorAsync(space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 0.001m }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.Api.PostAsJsonAsync("/api/v1/admin/accounts/nobody@example.org/top-up", new { amount = 1m }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.LedgerAsync()).Entries.Should().BeEmpty();
    }

    private sealed class TestPayments : IPaymentProvider
    {
        public const decimal Declined = 66.60m;

        public string Name => "testpay";

        public Task<string> CollectAsync(Guid accountId, decimal amount, string currency, CancellationToken cancellationToken)
            => amount == Declined
                ? throw new PaymentFailedException("card declined")
                : Task.FromResult(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"payment-{amount:0.00}"));
    }
}

public sealed class BillingTestsOnSqlite() : BillingTests(DatabaseKind.Sqlite);

public sealed class BillingTestsOnPostgres() : BillingTests(DatabaseKind.Postgres);
