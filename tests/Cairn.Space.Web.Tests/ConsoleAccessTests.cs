using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests;

/// <summary>Who sees what in the console, and errors told in plain words on the page.</summary>
public sealed class ConsoleAccessTests(ConsoleFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(ConsolePage Tab, string Email)> SignedUpAsync()
    {
        var tab = await fixture.NewPageAsync();
        var email = $"access-{Guid.NewGuid():N}@example.org";
        await tab.GotoAsync("/signup");
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/");
        return (tab, email);
    }

    [Fact]
    public async Task A_wrong_password_is_told_in_plain_words_and_signs_nobody_in()
    {
        var (tab, email) = await SignedUpAsync();
        await using var _ = tab;
        await tab.SignOutAsync();
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Password").FillAsync("not the password");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        (await tab.TextAsync("[role=alert]")).Should().Be("Wrong email or password. Check both and try again.");
        (await tab.Page.GetByLabel("Email").InputValueAsync()).Should().Be(email, "the email typed stays in the form");
        await tab.CheckAsync("20-sign-in-wrong-password");
        await tab.GotoAsync("/");
        tab.Path.Should().StartWith("/signin");

        // The right password leads back to the page asked for.
        await tab.GotoAsync("/usage");
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/usage");
        (await tab.TextAsync("h1")).Should().Be("Usage this month");
    }

    [Fact]
    public async Task Sign_up_and_register_errors_are_shown_on_the_page()
    {
        await using var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/signup");
        await tab.Page.GetByLabel("Email").FillAsync($"short-{Guid.NewGuid():N}@example.org");
        await tab.Page.GetByLabel("Password").FillAsync("short");
        await tab.Page.EvaluateAsync("() => document.querySelector('form.stack').noValidate = true"); // past the browser's own check
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        (await tab.TextAsync("[role=alert]")).Should().Be("A password has at least 10 characters.");
        await tab.CheckAsync("21-sign-up-error");

        var (other, _) = await SignedUpAsync();
        await using var __ = other;
        await other.GotoAsync("/instances");
        await other.Page.GetByLabel("Instance name").FillAsync("Not A Name!");
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Register instance" }).ClickAsync();
        (await other.TextAsync("[role=alert]")).Should().StartWith("An instance name is 1 to 100 characters");
        await other.CheckAsync("22-instances-register-error");

        // A name in use is refused too; an instance without tasks can be removed, which frees its name.
        var name = $"taken-{Guid.NewGuid().ToString("N")[..8]}";
        await other.Page.GetByLabel("Instance name").FillAsync(name);
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Register instance" }).ClickAsync();
        await other.Page.WaitForURLAsync($"**/instances/{name}?registered=true");
        await other.GotoAsync("/instances");
        await other.Page.GetByLabel("Instance name").FillAsync(name);
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Register instance" }).ClickAsync();
        (await other.TextAsync("[role=alert]")).Should().Be($"The instance name '{name}' is in use.");
        await other.GotoAsync($"/instances/{name}");
        await other.Page.GetByRole(AriaRole.Button, new() { Name = $"Remove {name}" }).ClickAsync();
        await other.Page.WaitForURLAsync("**/instances");
        (await other.Page.Locator($"tr[data-instance='{name}']").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Another_accounts_task_and_instance_are_not_found()
    {
        // Alice has a task, made through the API.
        var alice = await SpaceClient.SignUpAsync(fixture.Space);
        var instance = await alice.RegisterInstanceAsync();
        var created = await alice.Api.PostAsJsonAsync("/api/v1/backups", new { instance, name = "photos" }, Ct);
        created.EnsureSuccessStatusCode();
        var task = (await created.Content.ReadFromJsonAsync<Backups.BackupResponse>(Ct))!;

        var (bob, _) = await SignedUpAsync();
        await using var _ = bob;
        var response = await bob.Page.GotoAsync($"/backups/{task.Id}");
        response!.Status.Should().Be(404);
        (await bob.TextAsync("h1")).Should().Be("Not found");
        await bob.CheckAsync("23-backup-not-found");
        (await bob.Page.GotoAsync($"/backups/{task.Id}/delete"))!.Status.Should().Be(404);
        (await bob.Page.GotoAsync($"/instances/{instance}"))!.Status.Should().Be(404);
        (await bob.Page.Locator("tr[data-task-id]").CountAsync()).Should().Be(0);
        (await alice.BackupsAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task The_console_cookie_does_not_open_the_api_and_sign_out_needs_the_form_token()
    {
        var (tab, _) = await SignedUpAsync();
        await using var _ = tab;
        var api = await tab.Page.APIRequest.GetAsync("/api/v1/backups");
        api.Status.Should().Be((int)HttpStatusCode.Unauthorized, "the API takes bearer tokens only, so other sites cannot use the cookie");

        var forged = await tab.Page.APIRequest.PostAsync("/signout", new() { Form = tab.Context.APIRequest.CreateFormData() });
        forged.Status.Should().Be((int)HttpStatusCode.BadRequest);
        await tab.GotoAsync("/");
        (await tab.TextAsync("h1")).Should().Be("Backups", "a sign-out without the form's token changes nothing");
    }

    [Fact]
    public async Task Forms_without_their_antiforgery_token_are_refused()
    {
        var (tab, _) = await SignedUpAsync();
        await using var _ = tab;
        var form = tab.Context.APIRequest.CreateFormData();
        form.Set("_handler", "register");
        form.Set("Form.Name", $"forged-{Guid.NewGuid().ToString("N")[..8]}");
        var forged = await tab.Page.APIRequest.PostAsync("/instances", new() { Form = form });
        forged.Status.Should().Be((int)HttpStatusCode.BadRequest);
        await tab.GotoAsync("/instances");
        (await tab.Page.Locator("tr[data-instance]").CountAsync()).Should().Be(0, "the forged form registered nothing");
    }

    [Fact]
    public async Task Pages_read_well_without_script_times_in_utc_and_no_dead_copy_buttons()
    {
        var email = $"noscript-{Guid.NewGuid():N}@example.org";
        var account = await SpaceClient.SignUpAsync(fixture.Space, email);
        var instance = await account.RegisterInstanceAsync();
        (await account.Api.PostAsJsonAsync("/api/v1/backups", new { instance, name = "mail" }, Ct)).EnsureSuccessStatusCode();

        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseAddress.ToString(), JavaScriptEnabled = false });
        await using var __ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(fixture.BaseAddress.ToString());
        var created = await page.Locator("tr[data-task-id] .created time").InnerTextAsync();
        created.Should().MatchRegex(@"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$");
        (await page.Locator("tr[data-task-id] .created .ago").InnerTextAsync()).Should().NotBeEmpty();
        await page.Locator("tr[data-task-id] a").ClickAsync();
        (await page.Locator("#backup-url").InnerTextAsync()).Should().Contain($"/repo/{instance}/mail/");
        (await page.Locator("button.copy").First.IsVisibleAsync()).Should().BeFalse("without script a copy button could not work, so it stays hidden");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots.Folder, "24-backup-details-without-script.png"), FullPage = true });
    }

    [Fact]
    public async Task A_space_with_sign_up_closed_says_so_and_offers_no_form()
    {
        await using var closed = new SpaceFactory(DatabaseKind.Sqlite, kestrel: true, new Dictionary<string, string?> { ["Space:SignUpOpen"] = "false" });
        closed.StartServer();
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = closed.ListenAddress.ToString() });
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signup");
        (await page.Locator("[role=alert]").InnerTextAsync()).Should().Be("Sign-up is closed on this Space. Ask its operator for an account.");
        (await page.Locator("input:not([type=hidden])").CountAsync()).Should().Be(0);
        await AccessibilityChecks.AssertAsync(page, "sign-up closed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots.Folder, "25-sign-up-closed.png"), FullPage = true });
    }

    [Fact]
    public async Task Pages_forbid_framing_and_foreign_scripts()
    {
        await using var tab = await fixture.NewPageAsync();
        var response = (await tab.Page.GotoAsync("/signin"))!;
        var headers = await response.AllHeadersAsync();
        headers["content-security-policy"].Should().Contain("script-src 'self'").And.Contain("frame-ancestors 'none'");
        headers["x-frame-options"].Should().Be("DENY");
        headers["cache-control"].Should().Contain("no-store", "a page may show a secret once; no cache keeps it");
    }

    [Fact]
    public async Task Sign_in_never_returns_to_another_site()
    {
        var (tab, email) = await SignedUpAsync();
        await using var _ = tab;
        await tab.SignOutAsync();
        await tab.GotoAsync("/signin?ReturnUrl=%2F%2Fevil.example%2F");
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync(new Uri(fixture.BaseAddress, "/").ToString());
        (await tab.TextAsync("h1")).Should().Be("Backups");
    }
}
