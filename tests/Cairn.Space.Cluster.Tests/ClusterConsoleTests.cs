using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cairn.Space.Cluster.Tests.Infrastructure;
using Cairn.Space.Tests.Cloud;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Cluster.Tests;

/// <summary>
/// The console in headless Chromium through haproxy, each request landing on whichever replica haproxy picks (the
/// header haproxy adds names it): sign-in, the backup list, a task's details and the restore wizard to a local cloud
/// disk, whose restored folder equals the source. Real processes on real time, so no flow here moves a clock.
/// </summary>
public sealed partial class ClusterConsoleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Owner_signs_in_lists_and_restores_through_haproxy_with_requests_spread_over_the_replicas()
    {
        await using var cluster = await SpaceCluster.StartAsync();
        var owner = await SpaceClient.SignUpAsync(cluster.Address);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, task: "photos");
        var restic = new Restic(credential.RepositoryUrl);
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = RestoredTree.MakeSource(cluster.Folder);
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        var task = (await owner.BackupsAsync()).Single();
        var snapshot = (await owner.BackupAsync(task.Id)).Snapshots.Single();
        var operatorClient = await cluster.OperatorAsync();
        (await operatorClient.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 50m }, Ct)).EnsureSuccessStatusCode();

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ConsoleFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = cluster.Address.ToString(), Locale = "en-GB" });
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        var answeredBy = new ConcurrentBag<string>();
        page.Response += (_, response) =>
        {
            if (response.Headers.TryGetValue(LoadBalancer.ReplicaHeader.ToLowerInvariant(), out var replica))
            {
                answeredBy.Add(replica);
            }
        };

        // Sign-in, then the list with the task restic made.
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(owner.Email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/");
        var row = page.Locator($"tr[data-task-id='{task.Id}']");
        (await row.Locator(".task-name").InnerTextAsync()).Should().Be("photos");
        (await row.Locator(".instance").InnerTextAsync()).Should().Be(instance);
        await AccessibilityChecks.AssertAsync(page, "cluster-backups");

        // The details, with the snapshot.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}");
        (await page.Locator($"tr[data-snapshot-id='{snapshot.Id}'] .short-id").InnerTextAsync()).Should().Be(snapshot.ShortId);
        await AccessibilityChecks.AssertAsync(page, "cluster-backup-details");

        // The restore wizard: each step may be served by another replica than the one before.
        await page.GetByRole(AriaRole.Link, new() { Name = "Restore", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}/restore");
        (await page.GetByLabel("Instance name", new() { Exact = true }).InputValueAsync()).Should().Be(instance);
        // The password is checked on the first step, by whichever replica serves it, before any charge.
        await page.GetByLabel("Backup password", new() { Exact = true }).FillAsync(Restic.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the password and see the charges" }).ClickAsync();
        await page.Locator("table.charges").WaitForAsync();
        await AccessibilityChecks.AssertAsync(page, "cluster-restore-charges");
        // The checked password stays in the memory of the replica that checked it: a confirmation that another
        // replica serves asks for it once more, and that replica places the order and runs the install.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = ConfirmAndPay() }).ClickAsync();
        await page.Locator("#confirm-password, .state").First.WaitForAsync();
        if (await page.Locator("#confirm-password").CountAsync() > 0)
        {
            (await page.Locator(".note.error").InnerTextAsync()).Should().Contain("Enter it again");
            await page.Locator("#confirm-password").FillAsync(Restic.Password);
            await page.GetByRole(AriaRole.Button, new() { NameRegex = ConfirmAndPay() }).ClickAsync();
        }

        await page.WaitForURLAsync("**/restores/*");
        await page.Locator(".state[data-state='Running']").WaitForAsync(new() { Timeout = 120_000 });
        var disk = (await page.Locator(".disk").First.InnerTextAsync()).Trim();
        RestoredTree.Describe(Trees.Restored(disk, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));

        // The requests spread: haproxy sent the browser's requests to every replica.
        answeredBy.Distinct().Should().BeEquivalentTo(cluster.Replicas.Select(r => r.Id), "round-robin spreads the console's requests");
    }

    [GeneratedRegex("^Confirm and pay ")]
    private static partial Regex ConfirmAndPay();
}
