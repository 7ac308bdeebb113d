using System.Globalization;
using System.Net.Http.Json;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests;

/// <summary>
/// An owner's whole path through the console in headless Chromium against a real Space, with restic as a real
/// process backing up to the URL the page shows. Every page is checked for accessibility and photographed.
/// </summary>
public sealed class ConsoleEndToEndTests(ConsoleFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Space;

    [Fact]
    public async Task Owner_signs_up_backs_up_with_restic_sees_times_sizes_chart_and_snapshots_and_deletes_the_task()
    {
        await using var tab = await fixture.NewPageAsync();
        var page = tab.Page;
        var email = $"owner-{Guid.NewGuid():N}@example.org";
        var instance = $"e2e-{Guid.NewGuid().ToString("N")[..8]}.olares";

        // Signing up: the console sends a stranger to sign in, and from there to sign up.
        await tab.GotoAsync("/");
        tab.Path.Should().StartWith("/signin?ReturnUrl=");
        await tab.CheckAsync("01-sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await page.WaitForURLAsync("**/signup?ReturnUrl=%2F");
        (await tab.TextAsync(".lede")).Should().Contain("The first 2 MB of every instance are free", "the allowance is the configured one");
        await tab.CheckAsync("02-sign-up");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/");
        (await tab.TextAsync("h1")).Should().Be("Backups");
        (await tab.TextAsync("header")).Should().Contain(email);
        var emptyState = await tab.TextAsync(".empty");
        emptyState.Should().Contain("No backups yet").And.Contain($"restic -r 'rest:http://USERNAME:SECRET@{fixture.BaseAddress.Authority}/repo/INSTANCE/documents/' init");
        await tab.CheckAsync("03-backups-empty");

        // Registering an instance and minting a credential: the secret and the commands are shown once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Instances", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/instances");
        await tab.CheckAsync("04-instances-none");
        await page.GetByLabel("Instance name").FillAsync(instance);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register instance" }).ClickAsync();
        await page.WaitForURLAsync($"**/instances/{instance}?registered=true");
        (await tab.TextAsync("h1")).Should().Be(instance);
        await tab.CheckAsync("05-instance-registered");
        await page.GetByLabel("Backup task name").FillAsync("documents");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create credential" }).ClickAsync();
        var url = await tab.TextAsync("#minted-url");
        var secret = await tab.TextAsync(".minted-secret");
        url.Should().StartWith("rest:http://c-").And.Contain(secret).And.EndWith($"@{fixture.BaseAddress.Authority}/repo/{instance}/documents/");
        (await tab.TextAsync("#minted-restic-init")).Should().Be($"restic -r '{url}' init");
        (await tab.TextAsync("#minted-cairn-backup")).Should().Be($"cairn -r '{url}' backup ~/data");
        await tab.CheckAsync("06-credential-minted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy repository URL" }).ClickAsync();
        (await page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).Should().Be(url);

        // restic, as a real process, creates the task and backs up to the URL read from the page.
        var restic = new Restic(url);
        var created = SpaceFactory.Start.AddDays(2).AddMinutes(7);
        Space.Clock.Set(created);
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(Space.DataPath, 3_000_000);
        var first = created.AddHours(1);
        Space.Clock.Set(first);
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        Space.Clock.Set(first.AddHours(3));
        await tab.SyncClockAsync();

        // The list shows the task with its times and size, as the API and the store have them.
        var api = await SpaceClient.SignInAsync(Space, email, SpaceClient.Password);
        var task = (await api.BackupsAsync()).Should().ContainSingle().Subject;
        task.CreatedAt.Should().Be(created);
        task.LatestSnapshotAt.Should().Be(first);
        task.StorageBytes.Should().Be(Space.RepositoryFiles(task.Id).Values.Sum()).And.BeGreaterThan(3_000_000);

        await page.GetByRole(AriaRole.Link, new() { Name = "Backups", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(fixture.BaseAddress.ToString());
        var row = page.Locator($"tr[data-task-id='{task.Id}']");
        (await row.Locator(".task-name").InnerTextAsync()).Should().Be("documents");
        (await row.Locator(".instance").InnerTextAsync()).Should().Be(instance);
        (await row.Locator(".created time").GetAttributeAsync("datetime")).Should().Be(Iso(created));
        (await row.Locator(".latest time").GetAttributeAsync("datetime")).Should().Be(Iso(first));
        (await row.Locator(".latest time").InnerTextAsync()).Should().Contain(LocalClock(first));
        (await row.Locator(".latest .ago").InnerTextAsync()).Should().Be("3 hours ago");
        (await row.Locator(".stored .bytes").GetAttributeAsync("data-bytes")).Should().Be(task.StorageBytes.ToString(CultureInfo.InvariantCulture));
        (await row.Locator(".stored").InnerTextAsync()).Should().MatchRegex(@"^\d+(\.\d+)? MB$");
        await tab.CheckAsync("07-backups-one-task");
        await page.SetViewportSizeAsync(390, 844);
        await tab.CheckAsync("07-backups-one-task-phone");
        await page.SetViewportSizeAsync(1280, 900);

        // Details: the chart has a point for the creation and one for the backup; the snapshot is listed.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}");
        var details = await api.BackupAsync(task.Id);
        details.Usage.Should().HaveCount(2);
        await AssertChartAsync(page, details);
        var snapshot = details.Snapshots.Should().ContainSingle().Subject;
        var snapshotRow = page.Locator($"tr[data-snapshot-id='{snapshot.Id}']");
        (await snapshotRow.Locator(".short-id").InnerTextAsync()).Should().Be(snapshot.ShortId);
        (await snapshotRow.Locator("time").GetAttributeAsync("datetime")).Should().Be(Iso(first));
        (await tab.TextAsync("#backup-url")).Should().Be($"rest:http://USERNAME:SECRET@{fixture.BaseAddress.Authority}/repo/{instance}/documents/");
        await AssertNoDeadRestoreAsync(page);
        await tab.CheckAsync("08-backup-details-one-snapshot");

        // A second backup adds a snapshot and a chart point.
        File.WriteAllText(Path.Combine(source, "docs", "file0.txt"), "changed after the first backup");
        File.WriteAllBytes(Path.Combine(source, "more.bin"), Objects.Random(1_500_000));
        var second = first.AddHours(5);
        Space.Clock.Set(second);
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        Space.Clock.Set(second.AddMinutes(20));
        await tab.SyncClockAsync();
        await page.ReloadAsync();
        details = await api.BackupAsync(task.Id);
        details.Usage.Should().HaveCount(3);
        details.Snapshots.Should().HaveCount(2);
        await AssertChartAsync(page, details);
        (await page.Locator("table.snapshots tbody tr").CountAsync()).Should().Be(2);

        // Files and size show where the client reported them (cairn does, restic 0.14 does not).
        var (username, repoSecret, _) = Objects.ParseRestUrl(url);
        using (var repository = SpaceClient.Repository(Space, username, repoSecret))
        {
            var latestId = details.Snapshots[^1].Id;
            (await repository.PutAsJsonAsync($"/repo/{instance}/documents/snapshots/{latestId}/stats",
                new { fileCount = 23, totalBytes = 4_321_000 }, Ct)).EnsureSuccessStatusCode();
            await page.ReloadAsync();
            var reported = page.Locator($"tr[data-snapshot-id='{latestId}']");
            (await reported.Locator(".files").InnerTextAsync()).Should().Be("23");
            (await reported.Locator(".size .bytes").GetAttributeAsync("data-bytes")).Should().Be("4321000");
            (await page.Locator($"tr[data-snapshot-id='{details.Snapshots[0].Id}'] .files").InnerTextAsync()).Should().Be("not reported");
        }

        (await page.Locator("table.snapshots tbody tr").First.Locator("time").GetAttributeAsync("datetime")).Should().Be(Iso(second));
        (await page.Locator(".facts .stored .bytes").GetAttributeAsync("data-bytes"))
            .Should().Be(Space.RepositoryFiles(task.Id).Values.Sum().ToString(CultureInfo.InvariantCulture));
        await tab.CheckAsync("09-backup-details-two-snapshots");

        // A read-only Backup URL, shown once, restores elsewhere: restic lists both snapshots through it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a read-only Backup URL" }).ClickAsync();
        var readOnlyUrl = await tab.TextAsync("#readonly-url");
        readOnlyUrl.Should().EndWith($"@{fixture.BaseAddress.Authority}/repo/{instance}/documents/").And.NotBe(url);
        (await new Restic(readOnlyUrl).RunAsync("snapshots")).EnsureSuccess().Output.Should().Contain("2 snapshots");
        await tab.CheckAsync("10-backup-details-read-only-url");

        // Phone width: the same page, narrower.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await tab.CheckAsync("11-backup-details-phone");
        await page.Locator("section:has(svg.usage-chart)").ScreenshotAsync(new() { Path = Path.Combine(Screenshots.Folder, "11-backup-details-phone-chart.png") });
        await page.SetViewportSizeAsync(1280, 900);

        // Usage: the instance's allowance, overage and projected charge, as the API reports them; then a cap.
        await page.GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/usage");
        var report = (await api.Api.GetFromJsonAsync<UsageReport>("/api/v1/usage", Ct))!;
        var line = report.Instances.Should().ContainSingle().Subject;
        line.OverBytes.Should().BeGreaterThan(0);
        var card = page.Locator($"article[data-instance='{instance}']");
        (await card.Locator(".bar").GetAttributeAsync("aria-label")).Should().Contain("used of 2 MB free");
        (await card.Locator(".over-bytes .bytes").GetAttributeAsync("data-bytes")).Should().Be(line.OverBytes.ToString(CultureInfo.InvariantCulture));
        (await card.Locator(".instance-projected").InnerTextAsync()).Should().Be(line.ProjectedCharge.ToString("0.00", CultureInfo.InvariantCulture) + " EUR");
        (await tab.TextAsync(".facts .projected")).Should().Be(report.ProjectedCharge.ToString("0.00", CultureInfo.InvariantCulture) + " EUR");
        await tab.CheckAsync("12-usage");
        var cap = Math.Ceiling(report.ProjectedCharge) + 100;
        await page.GetByLabel("Monthly cap (EUR)").FillAsync(cap.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save cap" }).ClickAsync();
        (await tab.TextAsync("[role=status]")).Should().Be($"Spending cap set to {cap:0.00} EUR a month.");
        (await api.Api.GetFromJsonAsync<Accounts.AccountResponse>("/api/v1/account", Ct))!.SpendingCap.Should().Be(cap);
        await tab.CheckAsync("13-usage-cap-set");

        // Deleting asks first, names what is lost, then removes the task and its data.
        await page.GetByRole(AriaRole.Link, new() { Name = "Backups", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(fixture.BaseAddress.ToString());
        await page.Locator($"tr[data-task-id='{task.Id}']").GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete task" }).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}/delete");
        (await tab.TextAsync("h1")).Should().Be("Delete the backup task documents?");
        (await tab.TextAsync(".loss-snapshots")).Should().Contain("all 2 snapshots");
        (await page.Locator(".loss-bytes .bytes").GetAttributeAsync("data-bytes"))
            .Should().Be(Space.RepositoryFiles(task.Id).Values.Sum().ToString(CultureInfo.InvariantCulture));
        await tab.CheckAsync("14-delete-confirmation");
        (await api.BackupsAsync()).Should().ContainSingle("nothing is deleted before the confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete documents and its data" }).ClickAsync();
        await page.WaitForURLAsync("**/?deleted=documents");
        (await tab.TextAsync("[role=status]")).Should().Contain("documents").And.Contain("deleted");
        (await page.Locator("tr[data-task-id]").CountAsync()).Should().Be(0);
        await tab.CheckAsync("15-backups-after-delete");
        (await api.BackupsAsync()).Should().BeEmpty();
        Space.RepositoryFiles(task.Id).Should().BeEmpty();

        // Revoking the credential: restic is refused from then on.
        await tab.GotoAsync($"/instances/{instance}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {username}" }).ClickAsync();
        (await page.Locator($"tr[data-username='{username}'] .state").InnerTextAsync()).Should().StartWith("Revoked");
        await tab.CheckAsync("16-instance-credential-revoked");
        (await restic.RunAsync("snapshots")).ExitCode.Should().NotBe(0);

        // Signing out ends the session.
        await tab.SignOutAsync();
        await tab.CheckAsync("17-signed-out");
        await tab.GotoAsync("/usage");
        tab.Path.Should().StartWith("/signin?ReturnUrl=");
    }

    /// <summary>The chart shows one point per usage sample, at its bytes, with labelled axes in human units.</summary>
    private static async Task AssertChartAsync(IPage page, Backups.BackupDetailsResponse details)
    {
        var chart = page.Locator("svg.usage-chart");
        (await chart.CountAsync()).Should().Be(1);
        var points = chart.Locator("circle.point");
        (await points.CountAsync()).Should().Be(details.Usage.Count);
        for (var i = 0; i < details.Usage.Count; i++)
        {
            (await points.Nth(i).GetAttributeAsync("data-bytes")).Should().Be(details.Usage[i].Bytes.ToString(CultureInfo.InvariantCulture));
            (await points.Nth(i).GetAttributeAsync("data-at")).Should().Be(Iso(details.Usage[i].At));
        }

        var yLabels = await chart.Locator(".y-axis text[data-bytes]").AllTextContentsAsync();
        yLabels.Should().Contain("0 MB").And.OnlyContain(l => l.EndsWith(" MB", StringComparison.Ordinal));
        (await chart.Locator(".x-axis text[data-at]").CountAsync()).Should().BeGreaterThan(1);
        (await chart.Locator(".axis-title").AllTextContentsAsync()).Should().Equal("Stored", $"Time ({ConsolePage.TimeZone})");
    }

    /// <summary>Restore is hidden until the restore wizard exists; when shown it is a link to a page that answers.</summary>
    private static async Task AssertNoDeadRestoreAsync(IPage page)
    {
        (await page.GetByRole(AriaRole.Button, new() { Name = "Restore", Exact = true }).CountAsync()).Should().Be(0, "a Restore button outside a form would do nothing");
        foreach (var link in await page.GetByRole(AriaRole.Link, new() { Name = "Restore", Exact = true }).AllAsync())
        {
            var target = await page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
            target.Status.Should().Be(200, "a Restore link leads to the restore wizard");
        }
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>HH:mm of a moment on the viewer's (Berlin's) clock.</summary>
    private static string LocalClock(DateTimeOffset at)
        => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(ConsolePage.TimeZone)).ToString("HH:mm", CultureInfo.InvariantCulture);
}
