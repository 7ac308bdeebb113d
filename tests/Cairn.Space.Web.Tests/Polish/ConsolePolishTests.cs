using System.Net;
using Cairn.Space.Tests.Cloud;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Polish;

/// <summary>
/// What a new user noticed, each checked on the page itself at 1280 and 390 px (screenshots 60–79): the usage chart
/// ends at now with labels clear of each other, charges keep amount and unit on one line, one locale, a favicon,
/// an HTML "not found" page, and sizes that say their unit system.
/// </summary>
public sealed class ConsolePolishTests(ConsoleFixture fixture)
{
    private const int Phone = 390;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every visible text of the chart, as boxes; a pair that overlaps, and any that leaves the chart.
    private const string ChartCollisions = """
        () => {
          const svg = document.querySelector('svg.usage-chart');
          const frame = svg.getBoundingClientRect();
          const texts = [...svg.querySelectorAll('text')].filter(t => getComputedStyle(t).display !== 'none' && t.getClientRects().length > 0);
          const boxes = texts.map(t => ({ text: t.textContent, box: t.getBoundingClientRect() }));
          const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          const problems = [];
          boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => { if (hit(a.box, b.box)) problems.push(a.text + ' overlaps ' + b.text); }));
          boxes.forEach(a => { if (a.box.left < frame.left - 0.5 || a.box.right > frame.right + 0.5) problems.push(a.text + ' leaves the chart'); });
          return problems;
        }
        """;

    // How many line boxes the text of each element takes: 1 when amount and unit stay on one line.
    private const string LineCounts = """
        selector => [...document.querySelectorAll(selector)].map(e => {
          const range = document.createRange();
          range.selectNodeContents(e);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          return e.textContent.trim() + ': ' + tops.size;
        })
        """;

    private const string ClippedButtons = """
        () => [...document.querySelectorAll('main button, main .button')].filter(b => b.scrollWidth > b.clientWidth + 1).map(b => b.textContent.trim())
        """;

    [Fact]
    public async Task The_usage_chart_ends_at_now_and_its_labels_do_not_collide_on_a_phone()
    {
        var (api, taskId) = await BackedUpAsync();
        foreach (var (width, shot) in new[] { (1280, "60-backup-chart"), (Phone, "61-backup-chart-phone") })
        {
            await using var tab = await SignedInAsync(api, width);
            await tab.GotoAsync($"/backups/{taskId}");
            var chart = tab.Page.Locator("svg.usage-chart");
            await chart.WaitForAsync();
            (await tab.Page.EvaluateAsync<string[]>(ChartCollisions)).Should().BeEmpty($"no label of the chart collides at {width} px");
            var ticks = await chart.Locator(".x-axis text[data-at]").EvaluateAllAsync<string[]>("ts => ts.map(t => t.getAttribute('data-at'))");
            var now = fixture.Space.Clock.GetUtcNow();
            ticks.Select(t => DateTimeOffset.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).Should().OnlyContain(t => t <= now, "the time axis ends at now");
            (await tab.TextAsync(".unit-note")).Should().Contain("decimal").And.Contain("1 MB = 1,000,000 bytes");
            (await tab.Page.Locator(".bytes").First.GetAttributeAsync("title")).Should().Contain("decimal units");
            await tab.CheckAsync(shot);
        }
    }

    [Fact]
    public async Task The_wizard_shows_machines_as_cards_and_charges_on_one_line_each_on_a_phone()
    {
        var (api, taskId) = await BackedUpAsync();
        foreach (var (width, first) in new[] { (1280, 62), (Phone, 64) })
        {
            await using var tab = await SignedInAsync(api, width);
            var page = tab.Page;
            await tab.GotoAsync($"/backups/{taskId}/restore");
            (await page.Locator("label.machine-card").CountAsync()).Should().BeGreaterThan(2);
            (await page.Locator("label.machine-card input[type=radio]").CountAsync()).Should().Be(await page.Locator("label.machine-card").CountAsync());
            foreach (var price in await page.Locator(".machine-price").AllInnerTextsAsync())
            {
                price.Should().MatchRegex(@"^\d[\d,]*\.\d\d EUR a month$");
            }

            (await page.EvaluateAsync<string[]>(LineCounts, ".machine-price")).Should().OnlyContain(l => l.EndsWith(": 1", StringComparison.Ordinal));
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(width, "nothing runs off the screen");
            (await page.Locator("main").InnerTextAsync()).Should().NotContain("local · host").And.NotContain("eu-central");
            (await page.EvaluateAsync<string[]>(ClippedButtons)).Should().BeEmpty("every button's words fit in it");
            await tab.CheckAsync($"{first}-restore-machines{(width == Phone ? "-phone" : "")}");

            await page.GetByLabel("Backup password", new() { Exact = true }).FillAsync(Restic.Password);
            await page.Locator("label.machine-card:has-text('Frankfurt')").First.ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Check the password and see the charges" }).ClickAsync();
            await page.Locator("table.charges").WaitForAsync();
            (await tab.TextAsync(".machine")).Should().StartWith("Northwind Cloud (example; restores onto this Space host) · Frankfurt · ");
            (await page.EvaluateAsync<string[]>(LineCounts, "table.charges .amount, table.charges .quantity, table.charges .total-amount"))
                .Should().NotBeEmpty().And.OnlyContain(l => l.EndsWith(": 1", StringComparison.Ordinal), "amount and unit stay on one line");
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(width);
            await tab.CheckAsync($"{first + 1}-restore-charges{(width == Phone ? "-phone" : "")}");
        }
    }

    [Fact]
    public async Task Unknown_console_addresses_get_the_html_not_found_page_and_api_addresses_keep_problem_json()
    {
        foreach (var (width, shot) in new[] { (1280, "66-not-found"), (Phone, "67-not-found-phone") })
        {
            await using var tab = await fixture.NewPageAsync(width);
            var response = await tab.Page.GotoAsync("/no/such/page");
            response!.Status.Should().Be(404);
            (await response.HeaderValueAsync("content-type")).Should().StartWith("text/html");
            (await tab.TextAsync("h1")).Should().Be("Not found");
            await tab.CheckAsync(shot);
        }

        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var api = await http.GetAsync("/api/v1/no-such-thing", Ct);
        api.StatusCode.Should().Be(HttpStatusCode.NotFound);
        api.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Pages_have_a_favicon_and_write_dates_in_the_one_console_locale_not_the_browsers()
    {
        var (api, taskId) = await BackedUpAsync();
        await using var tab = await SignedInAsync(api, 1280);
        await tab.GotoAsync($"/backups/{taskId}");
        (await tab.Page.EvaluateAsync<string>("() => document.documentElement.lang")).Should().Be("en");
        var icon = await tab.Page.Locator("link[rel=icon]").GetAttributeAsync("href");
        icon.Should().Be("favicon.svg");
        var svg = await tab.Page.APIRequest.GetAsync("/favicon.svg");
        svg.Status.Should().Be(200);
        svg.Headers["content-type"].Should().StartWith("image/svg+xml");

        // The browser is British English (d MMM yyyy); the console's locale is en (MMM d, yyyy), on a 24-hour clock, in Berlin's zone.
        var written = await tab.Page.Locator("time[datetime]").First.InnerTextAsync();
        written.Should().MatchRegex(@"^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}", "the date follows the console's locale en");
        written.Should().NotContain("UTC").And.NotContain("AM").And.NotContain("PM");
        await tab.ShootAsync("68-backup-details-locale");
    }

    private async Task<(SpaceClient Api, Guid TaskId)> BackedUpAsync()
    {
        var api = await SpaceClient.SignUpAsync(fixture.Space);
        var instance = await api.RegisterInstanceAsync();
        var credential = await api.MintAsync(instance, task: "photos");
        var restic = new Restic(credential.RepositoryUrl.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        (await restic.RunAsync("init")).EnsureSuccess();
        (await restic.RunAsync("backup", "--tag", "nightly", RestoredTree.MakeSource(fixture.Space.DataPath))).EnsureSuccess();
        var task = (await api.BackupsAsync()).Single(b => b.Instance == instance);
        return (api, task.Id);
    }

    private async Task<ConsolePage> SignedInAsync(SpaceClient api, int width)
    {
        var tab = await fixture.NewPageAsync(width, width == Phone ? 844 : 900);
        await tab.GotoAsync("/signin");
        await tab.Page.GetByLabel("Email").FillAsync(api.Email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/");
        return tab;
    }
}
