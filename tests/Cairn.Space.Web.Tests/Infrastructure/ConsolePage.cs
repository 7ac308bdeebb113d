using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Infrastructure;

/// <summary>One browser tab on the console, with the checks every page must pass and a screenshot of each page.</summary>
public sealed class ConsolePage(ConsoleFixture fixture, IBrowserContext context, IPage page) : IAsyncDisposable
{
    public const string TimeZone = "Europe/Berlin";

    public IPage Page => page;
    public IBrowserContext Context => context;

    /// <summary>The path and query of the page shown, e.g. <c>/backups/…</c>.</summary>
    public string Path => new Uri(page.Url).PathAndQuery;

    public async Task GotoAsync(string path)
    {
        var response = await page.GotoAsync(path);
        response.Should().NotBeNull();
    }

    /// <summary>Moves the browser's clock to Space's test clock, so relative hints ("3 hours ago") read as they would.</summary>
    public Task SyncClockAsync() => context.Clock.SetSystemTimeAsync(fixture.Space.Clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The page's accessibility checks (one h1, a label for every field, Tab reaches every link and button), then a
    /// full-page screenshot as <c>artifacts/screenshots/{name}.png</c>.
    /// </summary>
    public async Task CheckAsync(string name)
    {
        await AccessibilityChecks.AssertAsync(page, name);
        await ShootAsync(name);
    }

    public Task ShootAsync(string name)
        => page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(Screenshots.Folder, name + ".png"), FullPage = true });

    public ILocator Main => page.Locator("main");

    /// <summary>
    /// Signs out with the header's button and waits for the signed-out sign-in page; when Space answers otherwise
    /// (a refused form, a session it no longer believes), the failure says what it answered.
    /// </summary>
    public async Task SignOutAsync()
    {
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/signout");
        var location = (await answer.AllHeadersAsync()).GetValueOrDefault("location");
        var body = answer.Status is >= 300 and < 400 ? "" : await answer.TextAsync();
        (answer.Status, location).Should().Be((302, "/signin?signedOut=true"), $"Space signs out and sends the browser to the sign-in page ({body})");
        await page.WaitForURLAsync("**/signin?signedOut=true");
    }

    public async Task<string> TextAsync(string selector) => (await page.Locator(selector).First.InnerTextAsync()).Trim();

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}

/// <summary>The git-ignored <c>artifacts/screenshots</c> folder at the repository root.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Cairn.slnx")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? AppContext.BaseDirectory;
        var folder = System.IO.Path.Combine(root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
