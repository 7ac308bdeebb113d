using Cairn.Space.Alerts;
using Cairn.Space.Tests.Alerts;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Web.Tests.Infrastructure;
using Cairn.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Alerts;

/// <summary>
/// An owner sets up alerts from the console alone, in headless Chromium against a real Space: adds a webhook channel
/// and tests it (a real receiver on loopback gets the test), sees an unreachable channel's test fail in plain words,
/// and, once an instance passes 80% of its free allowance, the open incident on the Alerts page and its count in the
/// navigation. Each state is photographed at 1280 and 390 px wide (screenshots 80–83).
/// </summary>
public sealed class AlertsPageTests(ConsoleFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Space;

    [Fact]
    public async Task An_owner_adds_and_tests_a_webhook_channel_and_sees_an_open_incident_and_the_badge()
    {
        await using var hook = new WebhookReceiver();
        await using var owner = await fixture.NewPageAsync();
        var page = owner.Page;
        var email = $"alerted-{Guid.NewGuid():N}@example.org";
        await owner.GotoAsync("/signup");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/");
        var api = await SpaceClient.SignInAsync(Space, email, SpaceClient.Password);
        var instance = await api.RegisterInstanceAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/alerts");
        (await owner.TextAsync("[data-testid=no-open-incidents]")).Should().Be("Nothing needs your attention.");
        (await page.Locator("[data-testid=alert-badge]").CountAsync()).Should().Be(0);
        await ShootAsync(owner, "80-alerts-empty");

        // A webhook channel, from the form; its test reaches the receiver.
        await page.GetByLabel("Kind").SelectOptionAsync("webhook");
        await page.GetByLabel("URL").FillAsync(hook.Url);
        await page.GetByLabel("Signing secret").FillAsync("console-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        await page.Locator(".note.ok").WaitForAsync();
        (await owner.TextAsync(".note.ok")).Should().Be("Channel \"Webhook to 127.0.0.1\" added. Send it a test to check it works.");
        var row = page.Locator("tr[data-channel='Webhook to 127.0.0.1']");
        (await row.Locator(".target").InnerTextAsync()).Should().Be($"{hook.Url} (with a secret)");
        await row.GetByRole(AriaRole.Button, new() { Name = "Send a test" }).ClickAsync();
        await page.GetByText("The test message was delivered.").WaitForAsync();
        hook.Bodies.Should().ContainSingle().Which.GetProperty("kind").GetString().Should().Be("test");
        await ShootAsync(owner, "81-alerts-channel-tested");

        // A push channel nothing listens at: its test fails, and says why.
        var deadPort = FreePort.Next();
        await page.GetByLabel("Kind").SelectOptionAsync("push");
        await page.GetByLabel("Name").FillAsync("Phone");
        await page.GetByLabel("URL").FillAsync($"http://127.0.0.1:{deadPort}/backups");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        await page.Locator("tr[data-channel='Phone']").WaitForAsync();
        await page.Locator("tr[data-channel='Phone']").GetByRole(AriaRole.Button, new() { Name = "Send a test" }).ClickAsync();
        await page.Locator(".note.error").WaitForAsync();
        (await owner.TextAsync(".note.error")).Should().StartWith($"The test message was not delivered: could not reach http://127.0.0.1:{deadPort}/backups: ")
            .And.Contain("refused");
        await ShootAsync(owner, "82-alerts-test-failed");

        // 85% of the allowance: the monitor's evaluation opens an incident and sends it; the page and the badge show it.
        await Space.SetUsageAsync(instance, ConsoleFixture.FreeBytesPerInstance * 85 / 100);
        await ReplicaSetScope(async sp =>
        {
            await sp.GetRequiredService<AlertJobs>().EvaluateAsync(Ct);
            await sp.GetRequiredService<AlertOutbox>().SendDueAsync(Ct);
        });
        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts", Exact = false }).First.ClickAsync();
        await page.Locator(".incident.open").WaitForAsync();
        (await owner.TextAsync("[data-testid=alert-badge]")).Should().Be("1");
        var incident = page.Locator(".incident.open");
        (await incident.Locator("h3").InnerTextAsync()).Should().Be($"Usage past 80% of the free allowance · {instance}");
        (await incident.InnerTextAsync()).Should().Contain($"Instance '{instance}' uses 85% of its free allowance");
        (await incident.Locator(".deliveries").InnerTextAsync()).Should().Contain("Alert to Webhook to 127.0.0.1: sent");
        hook.Bodies.Should().Contain(b => b.GetProperty("kind").GetString() == AlertRules.Usage80 && b.GetProperty("state").GetString() == "firing");
        await ShootAsync(owner, "83-alerts-open-incident");
    }

    private Task ReplicaSetScope(Func<IServiceProvider, Task> action) => ReplicaSet.InScope(Space, action);

    private static async Task ShootAsync(ConsolePage tab, string name)
    {
        await tab.CheckAsync($"{name}-1280");
        await tab.Page.SetViewportSizeAsync(390, 844);
        await tab.CheckAsync($"{name}-390");
        await tab.Page.SetViewportSizeAsync(1280, 900);
    }
}
