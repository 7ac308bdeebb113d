using System.Globalization;
using System.Net.Http.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Cloud;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Restore;

/// <summary>
/// The restore wizard in headless Chromium against a real Space with the default catalog: restic backs a folder up,
/// the owner restores it from the task's page, a wrong password is refused on step (a) before any charge, an order
/// the balance cannot cover stays Unpaid, the operator tops up, a forgotten password (as after a restart) leads to
/// Restore_error, the right one to Running, and the restored folder equals the source.
/// </summary>
public sealed class RestoreWizardTests(ConsoleFixture fixture)
{
    private const string WrongPassword = "a wrong backup password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Space;

    [Fact]
    public async Task Owner_restores_a_snapshot_to_a_cloud_instance_through_the_wizard()
    {
        // A backup made by restic, as a real process.
        var api = await SpaceClient.SignUpAsync(Space);
        var instance = await api.RegisterInstanceAsync();
        var credential = await api.MintAsync(instance, task: "photos");
        var restic = new Restic(credential.RepositoryUrl.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = RestoredTree.MakeSource(Space.DataPath);
        (await restic.RunAsync("backup", "--tag", "nightly", source)).EnsureSuccess();
        var task = (await api.BackupsAsync()).Single(b => b.Instance == instance);

        await using var tab = await fixture.NewPageAsync();
        var page = tab.Page;
        await tab.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(api.Email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/");

        // (a) from the task's page: the latest snapshot is chosen (to the second, in the viewer's zone), the name is the task's instance.
        await tab.GotoAsync($"/backups/{task.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Restore", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}/restore");
        await tab.CheckAsync("restore-01-choose");
        (await page.GetByLabel("Instance name", new() { Exact = true }).InputValueAsync()).Should().Be(instance);
        var snapshots = (await api.BackupAsync(task.Id)).Snapshots;
        var picker = page.GetByLabel("Snapshot", new() { Exact = true });
        (await picker.InputValueAsync()).Should().Be(snapshots[^1].Id);
        var option = await picker.Locator("option:checked").InnerTextAsync();
        option.Should().MatchRegex(@"\d{2}:\d{2}:\d{2}", "seconds tell two snapshots of one minute apart").And.NotContain("UTC", "the viewer's zone is shown");
        (await page.Locator("input[name='Choose.Machine']:checked").InputValueAsync()).Should().Be("local|host|small");
        (await tab.TextAsync("label.machine-card:has(input:checked)")).Should().Contain("6.90 EUR a month");
        (await tab.TextAsync(".machines")).Should().Contain("This Space host").And.NotContain("local · host");

        // A wrong password is refused on this same step, before any charge: no order, the balance unchanged.
        await page.GetByLabel("Backup password", new() { Exact = true }).FillAsync(WrongPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the password and see the charges" }).ClickAsync();
        await page.Locator(".note.error").WaitForAsync();
        (await tab.TextAsync(".note.error")).Should().Contain("password is wrong");
        (await page.Locator("[role=alert]").CountAsync()).Should().Be(1, "one message per error");
        (await page.Locator("table.charges").CountAsync()).Should().Be(0);
        (await page.ContentAsync()).Should().NotContain(WrongPassword, "the password is never put back into a page");
        await tab.CheckAsync("restore-01b-wrong-password");
        (await api.Api.GetFromJsonAsync<OrderResponse[]>("/api/v1/restores", Ct)).Should().BeEmpty();
        (await api.Api.GetFromJsonAsync<LedgerResponse>("/api/v1/billing/ledger", Ct))!.Balance.Should().Be(0m);

        // The right one: step (b) shows the charges and what only the password reveals, the snapshot's tags.
        await page.GetByLabel("Backup password", new() { Exact = true }).FillAsync(Restic.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the password and see the charges" }).ClickAsync();

        // (b) the charges, with the size taken from the task's stored bytes (restic does not report a snapshot's size).
        await page.Locator("table.charges").WaitForAsync();
        await tab.CheckAsync("restore-02-charges");
        (await tab.TextAsync(".size-note")).Should().Contain("stored bytes");
        (await tab.TextAsync(".snapshot-tags")).Should().Be("nightly");
        (await tab.TextAsync(".machine")).Should().Be("This Space host · Local disks · Small");
        var amounts = await page.Locator("table.charges tr[data-kind] .amount").AllInnerTextsAsync();
        amounts.Should().Equal("6.90 EUR", "0.00 EUR", "0.00 EUR");
        var total = await tab.TextAsync(".total-amount");
        total.Should().Be("6.90 EUR");
        (await tab.TextAsync(".shortfall")).Should().Contain("stay Unpaid");
        (await tab.TextAsync(".password-checked")).Should().Contain("opens this repository");
        (await page.ContentAsync()).Should().NotContain(Restic.Password, "the checked password is held by Space, not put into the page");

        // (c) confirmed with a balance of zero: Unpaid, and paying says why, once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and pay 6.90 EUR" }).ClickAsync();
        await page.WaitForURLAsync("**/restores/*");
        var orderId = Guid.Parse(new Uri(page.Url).Segments[^1]);
        (await page.Locator(".state").GetAttributeAsync("data-state")).Should().Be("Unpaid");
        (await tab.TextAsync(".unpaid")).Should().Contain("does not cover").And.Contain("nothing is provisioned");
        (await tab.TextAsync(".no-entries")).Should().Contain("nothing has been charged");
        (await tab.TextAsync(".summary")).Should().Contain("This Space host · Local disks · Small");
        await tab.CheckAsync("restore-03-unpaid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 6.90 EUR" }).ClickAsync();
        await page.Locator(".note.error").WaitForAsync();
        (await page.Locator(".note.error").CountAsync()).Should().Be(1, "one message per error, not two");
        (await tab.TextAsync(".note.error")).Should().Contain("does not cover");
        (await page.Locator(".state").GetAttributeAsync("data-state")).Should().Be("Unpaid");

        // The operator tops up; Space forgets the password (as a restart would), so paying installs and stops at Restore_error.
        await TopUpAsync(api, 20m);
        Space.Services.GetRequiredService<BackupPasswordHolder>().Forget(orderId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 6.90 EUR" }).ClickAsync();
        await page.Locator(".state[data-state='Restore_error']").WaitForAsync(new() { Timeout = 60_000 });
        (await tab.TextAsync(".reason")).Should().Contain("Enter the backup password again");
        (await tab.TextAsync(".state")).Should().Be("Needs the backup password");
        (await tab.TextAsync("main")).Should().NotContain("Restore_error", "a person reads plain words, not the API's state name");
        await tab.CheckAsync("restore-04-restore-error");

        // The right password resumes it to Running; the restored folder equals the source.
        await page.GetByLabel("Backup password", new() { Exact = true }).FillAsync(Restic.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume the install" }).ClickAsync();
        await page.Locator(".state[data-state='Running']").WaitForAsync(new() { Timeout = 60_000 });
        await tab.CheckAsync("restore-05-running");
        var disk = await tab.TextAsync(".disk");
        RestoredTree.Describe(Trees.Restored(disk, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));

        // The ledger has the one charge the wizard showed.
        (await page.Locator("table.ledger tr[data-kind] .amount").AllInnerTextsAsync()).Should().Equal("-6.90 EUR");
        var ledger = (await api.Api.GetFromJsonAsync<LedgerResponse>("/api/v1/billing/ledger", Ct))!;
        var charge = ledger.Entries.Should().ContainSingle(e => e.Kind == "Charge").Subject;
        charge.OrderId.Should().Be(orderId);
        Money(-charge.Amount).Should().Be(total);
        ledger.Balance.Should().Be(20m - 6.90m);

        // Neither password reached the data folder (SQLite file and WAL included) or a log entry.
        foreach (var secret in new[] { Restic.Password, WrongPassword })
        {
            SecretSearch.FilesContaining(SecretSearch.AllFiles(Space.DataPath), secret).Should().BeEmpty();
            Space.Logs.Entries.Should().NotContain(e => e.Contains(secret, StringComparison.Ordinal));
        }
    }

    private async Task TopUpAsync(SpaceClient owner, decimal amount)
    {
        var account = (await owner.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!;
        await using var scope = Space.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Ledger>().TopUpAsync(account.Id, amount, "operator:console-test", Ct);
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture) + " EUR";
}
