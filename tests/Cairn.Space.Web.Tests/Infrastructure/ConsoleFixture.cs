using Cairn.Space.Billing;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Cairn.Space.Web.Tests.Infrastructure.ConsoleFixture))]

namespace Cairn.Space.Web.Tests.Infrastructure;

/// <summary>
/// One real Space on a loopback Kestrel port (SQLite in a temp data folder, a test clock) and one headless Debian
/// Chromium for every browser test of this assembly. Playwright never downloads a browser here.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const long FreeBytesPerInstance = 2_000_000;

    /// <summary>The operator account Space makes at start (<c>Space:AdminEmail</c>, <c>Space:AdminPassword</c>), as the README says.</summary>
    public const string OperatorEmail = "operator@console.example";
    public const string OperatorPassword = "operator console passphrase";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private SpaceFactory? _space;

    public SpaceFactory Space => _space ?? throw new InvalidOperationException("the fixture has not started");
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>Where the console is, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress => Space.ListenAddress;

    public static string ChromiumPath
        => Environment.GetEnvironmentVariable("CAIRN_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        // A small allowance and a steep price sheet, so a few megabytes show an overage and a charge.
        _space = new SpaceFactory(DatabaseKind.Sqlite, kestrel: true, new Dictionary<string, string?>
        {
            ["Space:FreeBytesPerInstance"] = FreeBytesPerInstance.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Space:PriceSheetPath"] = Path.Combine(AppContext.BaseDirectory, "console-pricesheet.json"),
            ["Space:AdminEmail"] = OperatorEmail,
            ["Space:AdminPassword"] = OperatorPassword,
        })
        {
            // Owners' own top-ups go through a test provider that collects nothing; the Billing page says so.
            TestServices = s => s.AddSingleton<IPaymentProvider, TestPaymentProvider>(),
        };
        _space.StartServer();

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) in Berlin's time zone with British English, as a viewer far from UTC.</summary>
    public async Task<ConsolePage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            TimezoneId = ConsolePage.TimeZone,
            Locale = "en-GB",
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        // Other suites run beside this one: CI has seen a single navigation of the console (a link to /instances, the
        // wizard's Confirm) wait more than 30 s, in runs where everything else passed.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        await context.Clock.SetSystemTimeAsync(Space.Clock.GetUtcNow().UtcDateTime);
        return new ConsolePage(this, context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_space is not null)
        {
            await _space.DisposeAsync();
        }
    }
}

/// <summary>A payment provider that collects nothing and says so (<see cref="IPaymentProvider.CollectsRealMoney"/> is false).</summary>
public sealed class TestPaymentProvider : IPaymentProvider
{
    public string Name => "test payments";

    public bool CollectsRealMoney => false;

    public Task<string> CollectAsync(Guid accountId, decimal amount, string currency, CancellationToken cancellationToken)
        => Task.FromResult("test-" + Guid.NewGuid().ToString("N")[..12]);
}
