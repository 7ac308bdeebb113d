using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using OtpNet;

namespace Cairn.Space.Web.Tests;

/// <summary>Sign-in that resists guessing, in the browser: throttling told on the page, two-factor sign-in, sign-out that ends the session.</summary>
public sealed class ConsoleSignInSecurityTests(ConsoleFixture fixture)
{
    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task Sign_in_is_throttled_after_a_few_attempts_and_the_page_says_when_to_try_again()
    {
        await using var space = new SpaceFactory(DatabaseKind.Sqlite, kestrel: true, new Dictionary<string, string?>
        {
            ["Space:SignIn:PermitsPerClient"] = "3",
            ["Space:SignIn:Window"] = "00:01:00",
        });
        space.StartServer();
        var user = await SpaceClient.SignUpAsync(space); // its API sign-in is the first attempt from this address
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = space.ListenAddress.ToString() });
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await SignInAsync(page, user.Email, "not the password");
        (await page.Locator("[role=alert]").InnerTextAsync()).Should().Be("Wrong email or password. Check both and try again.");
        await SignInAsync(page, user.Email, "not the password either");

        var answer = await page.RunAndWaitForResponseAsync(() => SignInAsync(page, user.Email, SpaceClient.Password),
            r => r.Request.Method == "POST" && r.Url.Contains("/signin", StringComparison.Ordinal));
        answer.Status.Should().Be(429);
        int.Parse((await answer.AllHeadersAsync())["retry-after"], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 60);
        (await page.Locator("[role=alert]").InnerTextAsync()).Should().MatchRegex("^Too many sign-in attempts; try again in [0-9]+ seconds?\\.$");
        page.Url.Should().Contain("/signin", "the right password does not get past the limit either");
        await AccessibilityChecks.AssertAsync(page, "sign-in throttled");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots.Folder, "30-sign-in-throttled.png"), FullPage = true });
    }

    [Fact]
    public async Task Two_factor_sign_in_is_turned_on_in_the_console_and_asks_for_a_code_or_a_recovery_code()
    {
        await using var tab = await fixture.NewPageAsync();
        var page = tab.Page;
        var email = $"totp-{Guid.NewGuid():N}@example.org";
        await tab.GotoAsync("/signup");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/");

        await page.GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        (await tab.TextAsync("h2")).Should().Be("Two-factor sign-in is off");
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        var secret = (await page.Locator("[data-testid=totp-secret]").InnerTextAsync()).Trim();
        (await page.Locator("[data-testid=otpauth-uri]").GetAttributeAsync("href")).Should().StartWith("otpauth://totp/").And.Contain("secret=" + secret);
        await tab.CheckAsync("31-two-factor-enrol");

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var now = fixture.Space.Clock.GetUtcNow().UtcDateTime;
        await page.GetByLabel("Code from the app").FillAsync(totp.ComputeTotp(now));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and turn on" }).ClickAsync();
        var codes = await page.Locator("[data-testid=recovery-codes] li").AllInnerTextsAsync();
        codes.Should().HaveCount(10);
        await tab.CheckAsync("32-two-factor-recovery-codes");

        // Still signed in (the cookie was renewed with the new stamp); signing out and in now asks for a code.
        await tab.GotoAsync("/usage");
        tab.Path.Should().Be("/usage");
        await tab.SignOutAsync();
        await SignInAsync(page, email, SpaceClient.Password);
        (await page.GetByLabel("Code from your authenticator app").IsVisibleAsync()).Should().BeTrue();
        await tab.CheckAsync("33-sign-in-code");
        await page.GetByLabel("Code from your authenticator app").FillAsync(totp.ComputeTotp(now)); // the code used to confirm
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        (await tab.TextAsync("[role=alert]")).Should().Be("That code is wrong or was used already. Enter the current code and try again.");

        // The next step's code is within the window.
        await page.GetByLabel("Code from your authenticator app").FillAsync(totp.ComputeTotp(now.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForURLAsync(new Uri(fixture.BaseAddress, "/").ToString());
        (await tab.TextAsync("h1")).Should().Be("Backups");

        // A recovery code signs in once.
        await tab.SignOutAsync();
        await SignInAsync(page, email, SpaceClient.Password);
        await page.GetByLabel("Code from your authenticator app").FillAsync(codes[0]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForURLAsync(new Uri(fixture.BaseAddress, "/").ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        (await page.Locator("main").InnerTextAsync()).Should().Contain("9 recovery codes are left.");
    }

    [Fact]
    public async Task Sign_out_ends_the_session_so_a_copied_cookie_signs_nobody_in()
    {
        await using var tab = await fixture.NewPageAsync();
        var page = tab.Page;
        await tab.GotoAsync("/signup");
        await page.GetByLabel("Email").FillAsync($"copy-{Guid.NewGuid():N}@example.org");
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/");
        var cookies = await tab.Context.CookiesAsync();
        cookies.Should().Contain(c => c.Name == "cairn-console" && c.HttpOnly);

        await tab.SignOutAsync();

        var thief = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseAddress.ToString() });
        await using var _ = thief;
        await thief.AddCookiesAsync(cookies.Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        var stolen = await thief.NewPageAsync();
        await stolen.GotoAsync("/usage");
        new Uri(stolen.Url).AbsolutePath.Should().Be("/signin", "the copied cookie carries a security stamp that sign-out retired");
    }
}
