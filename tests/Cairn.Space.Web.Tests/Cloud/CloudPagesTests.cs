using System.Globalization;
using System.Net;
using Cairn.Space.Tests.Cloud;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Cloud;

/// <summary>
/// A newcomer's restore to the cloud from the console alone, in headless Chromium against a real Space: sign up,
/// register an instance, mint a credential, back up with restic to the URL the page shows, the operator tops the
/// account up in the Admin area, the wizard restores to a Running instance; then the Restores, Cloud instances and
/// Billing pages show the order, the instance, the charge and the refund, and Return asks first. Each new page is
/// photographed at 1280 and 390 px wide (screenshots 40–59).
/// </summary>
public sealed class CloudPagesTests(ConsoleFixture fixture)
{
    private SpaceFactory Space => fixture.Space;

    [Fact]
    public async Task A_newcomer_restores_to_a_running_cloud_instance_from_the_console_and_returns_it_after_confirming()
    {
        // Sign up, register an instance and mint a credential, all in the console.
        await using var owner = await fixture.NewPageAsync();
        var page = owner.Page;
        var email = $"newcomer-{Guid.NewGuid():N}@example.org";
        var instance = $"n{Guid.NewGuid().ToString("N")[..8]}.olares";
        await owner.GotoAsync("/signup");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/");
        (await owner.TextAsync("header")).Should().NotContain("Admin", "only the operator sees the Admin area");
        await page.GetByRole(AriaRole.Link, new() { Name = "Instances", Exact = true }).ClickAsync();
        await page.GetByLabel("Instance name").FillAsync(instance);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register instance" }).ClickAsync();
        await page.WaitForURLAsync($"**/instances/{instance}?registered=true");
        await page.GetByLabel("Backup task name").FillAsync("photos");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create credential" }).ClickAsync();
        var url = await owner.TextAsync("#minted-url");

        // Nothing ordered yet: the new pages say so.
        await page.GetByRole(AriaRole.Link, new() { Name = "Restores", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/restores");
        (await owner.TextAsync(".empty-orders")).Should().Contain("No restore order yet");
        await ShootAsync(owner, "40-restores-none");
        await page.GetByRole(AriaRole.Link, new() { Name = "Billing", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/billing");
        (await owner.TextAsync(".balance")).Should().Be("0.00 EUR");

        // restic, as a real process, backs a folder up to the URL read from the page.
        var restic = new Restic(url);
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = RestoredTree.MakeSource(Space.DataPath);
        (await restic.RunAsync("backup", source)).EnsureSuccess();

        // The operator, signed in to the console, finds the account in Admin and tops it up with a reason.
        await using (var op = await SignedInOperatorAsync())
        {
            await op.GotoAsync("/admin");
            await op.Page.GetByLabel("Email contains").FillAsync(email[..20]);
            await op.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await op.Page.WaitForURLAsync("**/admin?q=*");
            var row = op.Page.Locator($"tr[data-email='{email}']");
            (await row.Locator(".balance").InnerTextAsync()).Should().Be("0.00 EUR");
            await ShootAsync(op, "45-admin-accounts");
            await row.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();
            await op.Page.WaitForURLAsync("**/admin/accounts/*");
            await op.Page.GetByLabel("Amount in EUR").FillAsync("20");
            await op.Page.GetByLabel("Reason").FillAsync("bank transfer of 10 March");
            await op.Page.GetByRole(AriaRole.Button, new() { Name = "Top up" }).ClickAsync();
            await op.Page.Locator(".note.ok").WaitForAsync();
            (await op.TextAsync(".note.ok")).Should().Contain("20.00 EUR added");
            (await op.TextAsync(".balance")).Should().Be("20.00 EUR");
            await ShootAsync(op, "46-admin-account");
        }

        // The wizard: the default choice, the charges, the backup password; the balance covers it, so it runs.
        var api = await SpaceClient.SignInAsync(Space, email, SpaceClient.Password);
        var task = (await api.BackupsAsync()).Single(b => b.Instance == instance);
        await owner.GotoAsync($"/backups/{task.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Restore", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}/restore");
        await page.GetByLabel("Backup password", new() { Exact = true }).FillAsync(Restic.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the password and see the charges" }).ClickAsync();
        await page.Locator("table.charges").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and pay 6.90 EUR" }).ClickAsync();
        await page.WaitForURLAsync("**/restores/*");
        var orderId = Guid.Parse(new Uri(page.Url).Segments[^1]);
        await page.Locator(".state[data-state='Running']").WaitForAsync(new() { Timeout = 90_000 });
        var disk = await owner.TextAsync(".disk");
        RestoredTree.Describe(Trees.Restored(disk, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));

        // Restores: the order, its state in plain words, a link to its page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Restores", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/restores");
        var order = page.Locator($"tr[data-order='{orderId}']");
        (await order.GetAttributeAsync("data-state")).Should().Be("Running");
        (await order.Locator(".state").InnerTextAsync()).Should().Be("Running");
        (await order.Locator(".amount").InnerTextAsync()).Should().Be("6.90 EUR");
        (await order.GetByRole(AriaRole.Link).GetAttributeAsync("href")).Should().Be($"/restores/{orderId}");
        await ShootAsync(owner, "41-restores");

        // The same name again: the wizard's message links to the instance to return.
        await owner.GotoAsync($"/backups/{task.Id}/restore");
        await page.GetByLabel("Backup password", new() { Exact = true }).FillAsync(Restic.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the password and see the charges" }).ClickAsync();
        var holder = page.Locator(".note.error a.name-holder");
        await holder.WaitForAsync();
        (await holder.GetAttributeAsync("href")).Should().Be($"/cloud-instances/{instance}/return");
        await ShootAsync(owner, "42-restore-name-taken");

        // Cloud instances: provider, region and hardware by name, state, period end, the disk on this host, its order.
        await page.GetByRole(AriaRole.Link, new() { Name = "Cloud instances", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/cloud-instances");
        var row1 = page.Locator($"table.cloud-instances tr[data-instance='{instance}']");
        (await row1.GetAttributeAsync("data-state")).Should().Be("Running");
        var text = await row1.InnerTextAsync();
        text.Should().Contain("This Space host").And.Contain("Local disks").And.Contain("Small").And.Contain("Running")
            .And.NotContain("local · host · small");
        (await row1.Locator(".place").InnerTextAsync()).Should().Be($"folder {disk} on this Space host");
        (await row1.Locator("time").CountAsync()).Should().Be(1, "the period end is shown");
        await ShootAsync(owner, "43-cloud-instances");

        // Return asks first, names what goes and the refund; Cancel keeps the instance.
        await row1.GetByRole(AriaRole.Link, new() { Name = $"Return {instance}" }).ClickAsync();
        await page.WaitForURLAsync($"**/cloud-instances/{instance}/return");
        (await owner.TextAsync("h1")).Should().Be($"Return {instance}?");
        (await owner.TextAsync(".destroyed")).Should().Contain(instance).And.Contain(disk).And.Contain("Everything restored there");
        (await owner.TextAsync(".refund")).Should().StartWith("6.90 EUR comes back", "nothing of the period is used yet");
        await ShootAsync(owner, "44-return-confirm");
        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel, keep it" }).ClickAsync();
        await page.WaitForURLAsync("**/cloud-instances");
        (await page.Locator($"table.cloud-instances tr[data-instance='{instance}']").GetAttributeAsync("data-state")).Should().Be("Running");
        Directory.Exists(disk).Should().BeTrue("cancel destroys nothing");

        // Ten days on, the refund is the unused part; the page's figure is the one the return books.
        Space.Clock.Advance(TimeSpan.FromDays(10));
        await owner.SyncClockAsync();
        await owner.GotoAsync($"/cloud-instances/{instance}/return");
        var refundText = await owner.TextAsync(".refund");
        var refund = refundText[..refundText.IndexOf(" EUR", StringComparison.Ordinal)];
        decimal.Parse(refund, CultureInfo.InvariantCulture).Should().BeGreaterThan(0).And.BeLessThan(6.90m);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Destroy {instance} and its disk" }).ClickAsync();
        await page.Locator(".returned").WaitForAsync();
        (await owner.TextAsync(".returned")).Should().Contain($"{refund} EUR was refunded");
        await ShootAsync(owner, "47-returned");

        // Billing: the balance, the operator's top-up with its reason, the charge and the refund, each linked to the order.
        await page.GetByRole(AriaRole.Link, new() { Name = "See the balance" }).ClickAsync();
        await page.WaitForURLAsync("**/billing");
        var expected = 20m - 6.90m + decimal.Parse(refund, CultureInfo.InvariantCulture);
        (await owner.TextAsync(".balance")).Should().Be(Money(expected));
        var topUp = page.Locator("table.ledger tr[data-kind='TopUp']");
        (await topUp.InnerTextAsync()).Should().Contain("Top-up: bank transfer of 10 March").And.Contain("The operator").And.Contain("20.00 EUR");
        var charge = page.Locator("table.ledger tr[data-kind='Charge']");
        (await charge.Locator(".amount").InnerTextAsync()).Should().Be("-6.90 EUR");
        (await charge.GetByRole(AriaRole.Link).GetAttributeAsync("href")).Should().Be($"/restores/{orderId}");
        var refundRow = page.Locator("table.ledger tr[data-kind='Refund']");
        (await refundRow.Locator(".amount").InnerTextAsync()).Should().Be($"{refund} EUR");
        (await refundRow.GetByRole(AriaRole.Link).GetAttributeAsync("href")).Should().Be($"/restores/{orderId}");

        // The owner's own top-up goes through the installed provider, labelled as the test provider it is.
        (await owner.TextAsync(".test-provider")).Should().Contain("test provider").And.Contain("no money is collected");
        await page.GetByLabel("Amount in EUR").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Top up" }).ClickAsync();
        await page.Locator(".note.ok").WaitForAsync();
        (await owner.TextAsync(".balance")).Should().Be(Money(expected + 5));
        await ShootAsync(owner, "48-billing");

        // The order and the instance end as returned.
        await owner.GotoAsync("/restores");
        (await page.Locator($"tr[data-order='{orderId}']").GetAttributeAsync("data-state")).Should().BeOneOf("Destroying", "Destroyed");
    }

    [Fact]
    public async Task The_operator_sees_instances_the_catalog_and_alerts_and_locks_and_unlocks_an_account()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        await owner.RegisterInstanceAsync();
        await using var op = await SignedInOperatorAsync();
        var page = op.Page;
        (await op.TextAsync("header")).Should().Contain("Admin");

        await page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Instances and usage" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/instances");
        (await page.Locator("table.admin-instances").InnerTextAsync()).Should().Contain(owner.Email);
        await ShootAsync(op, "49-admin-instances");

        await page.GetByRole(AriaRole.Link, new() { Name = "Catalog" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/catalog");
        var host = page.Locator(".catalog-provider[data-provider='local']");
        (await host.Locator(".driver").InnerTextAsync()).Should().Contain("local").And.Contain("folder of this Space host");
        (await host.InnerTextAsync()).Should().Contain("6.90 EUR").And.Contain("Small");
        await ShootAsync(op, "50-admin-catalog");

        // Lock: the owner's sign-in is refused with the reason, until the operator unlocks.
        await op.GotoAsync("/admin/accounts/" + Uri.EscapeDataString(owner.Email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Lock sign-in" }).ClickAsync();
        await page.Locator(".note.ok").WaitForAsync();
        (await op.TextAsync(".sign-in")).Should().Be("Locked by the operator");
        await using (var locked = await fixture.NewPageAsync())
        {
            await locked.GotoAsync("/signin");
            await locked.Page.GetByLabel("Email").FillAsync(owner.Email);
            await locked.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
            await locked.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            (await locked.TextAsync("[role=alert]")).Should().Contain("locked by the operator");
        }

        (await owner.Api.GetAsync("/api/v1/account", TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "the lock revoked the account's API tokens");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs and alerts" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/activity");
        (await op.TextAsync("ul.locked")).Should().Contain(owner.Email);
        await ShootAsync(op, "51-admin-activity");

        await op.GotoAsync("/admin/accounts/" + Uri.EscapeDataString(owner.Email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Unlock sign-in" }).ClickAsync();
        await page.Locator(".note.ok").WaitForAsync();
        (await op.TextAsync(".sign-in")).Should().Be("Open");
        await SpaceClient.SignInAsync(Space, owner.Email, SpaceClient.Password);
    }

    [Fact]
    public async Task An_owner_who_is_not_the_operator_finds_no_Admin_area()
    {
        var other = await SpaceClient.SignUpAsync(Space);
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/signin");
        await tab.Page.GetByLabel("Email").FillAsync(other.Email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/");
        (await tab.Page.Locator("header a.admin-link").CountAsync()).Should().Be(0);
        foreach (var path in new[] { "/admin", "/admin/instances", "/admin/catalog", "/admin/activity", "/admin/accounts/" + Uri.EscapeDataString(other.Email) })
        {
            var response = await tab.Page.GotoAsync(path);
            response!.Status.Should().Be(404, $"{path} is the operator's");
            (await tab.TextAsync("h1")).Should().Be("Not found");
        }

        (await other.Api.GetAsync("/api/v1/admin/accounts", TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private async Task<ConsolePage> SignedInOperatorAsync()
    {
        var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/signin");
        await tab.Page.GetByLabel("Email").FillAsync(ConsoleFixture.OperatorEmail);
        await tab.Page.GetByLabel("Password").FillAsync(ConsoleFixture.OperatorPassword);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/");
        return tab;
    }

    /// <summary>The page's checks and a screenshot at a desktop's 1280 px and a phone's 390 px, then back to 1280.</summary>
    private static async Task ShootAsync(ConsolePage tab, string name)
    {
        await tab.CheckAsync($"{name}-1280");
        await tab.Page.SetViewportSizeAsync(390, 844);
        await tab.CheckAsync($"{name}-390");
        await tab.Page.SetViewportSizeAsync(1280, 900);
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture) + " EUR";
}
