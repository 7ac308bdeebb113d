using System.Globalization;
using System.Net.Http.Json;
using Cairn.Space.Agents;
using Cairn.Space.Plans;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Tests.Plans;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Plans;

/// <summary>
/// An owner sets up a backup plan from the console alone, in headless Chromium against a real Space: a form that
/// refuses a plan without paths, the plan listed with its schedule in words and next run, pause and resume, edit,
/// enrolling the agent with a code from the page, a run the agent reports shown with its figures, and delete after
/// a confirmation, and the agent revoked. Each new page is photographed at 1280 and 390 px wide (screenshots 70–79).
/// </summary>
public sealed class PlansPagesTests(ConsoleFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Space;

    [Fact]
    public async Task An_owner_creates_pauses_edits_and_deletes_a_plan_and_sees_the_agent_s_run_in_its_history_then_revokes_the_agent()
    {
        await using var owner = await fixture.NewPageAsync();
        var page = owner.Page;
        var email = $"planner-{Guid.NewGuid():N}@example.org";
        var instance = $"p{Guid.NewGuid().ToString("N")[..8]}.olares";
        await owner.GotoAsync("/signup");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/");
        var api = await SpaceClient.SignInAsync(Space, email, SpaceClient.Password);
        await api.RegisterInstanceAsync(instance);

        // From the instances list to the instance's plans: none yet, no agent, a code to enroll one.
        await page.GetByRole(AriaRole.Link, new() { Name = "Instances", Exact = true }).ClickAsync();
        await page.Locator($"tr[data-instance='{instance}']").GetByRole(AriaRole.Link, new() { Name = "Plans" }).ClickAsync();
        await page.WaitForURLAsync($"**/instances/{instance}/plans");
        (await owner.TextAsync(".empty-plans")).Should().Be("No plan yet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create an enrollment code" }).ClickAsync();
        await page.Locator(".enroll-code").WaitForAsync();
        var code = await owner.TextAsync(".enroll-code");
        code.Should().MatchRegex("^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$");
        var baseUrl = Space.ListenAddress.ToString().TrimEnd('/');
        (await owner.TextAsync("#enroll-line")).Should().Be($"cairn agent enroll {baseUrl} --code {code}");
        (await page.Locator(".enroll-expiry time").GetAttributeAsync("datetime")).Should().StartWith(
            (Space.Clock.GetUtcNow() + TimeSpan.FromMinutes(15)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await ShootAsync(owner, "70-plans-enroll");

        // The form: the time zone starts as the viewer's; a plan without paths is refused with the API's message, and nothing is stored.
        await page.GetByRole(AriaRole.Link, new() { Name = "New plan" }).ClickAsync();
        await page.WaitForURLAsync($"**/instances/{instance}/plans/new");
        (await page.GetByLabel("Time zone", new() { Exact = true }).InputValueAsync()).Should().Be(ConsolePage.TimeZone);
        await page.GetByLabel("Plan name", new() { Exact = true }).FillAsync("Nightly photos");
        await page.GetByLabel("Backup task", new() { Exact = true }).FillAsync("photos");
        await page.GetByLabel("Time of day (daily, weekly, monthly)").FillAsync("02:30");
        await ShootAsync(owner, "71-plan-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create plan" }).ClickAsync();
        await page.Locator(".note.error").WaitForAsync();
        (await owner.TextAsync(".note.error")).Should().Be("Paths: at least one path to back up is required.");
        (await api.Api.GetFromJsonAsync<PlanResponse[]>($"/api/v1/instances/{instance}/plans", Ct)).Should().BeEmpty();
        await ShootAsync(owner, "72-plan-form-refused");
        await page.GetByLabel("Paths to back up").FillAsync("/data/photos\n/data/albums");
        await page.GetByLabel("Excludes", new() { Exact = true }).FillAsync("*.tmp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create plan" }).ClickAsync();
        await page.WaitForURLAsync($"**/instances/{instance}/plans");

        var stored = (await api.Api.GetFromJsonAsync<PlanResponse[]>($"/api/v1/instances/{instance}/plans", Ct))!.Should().ContainSingle().Subject;
        stored.Paths.Should().Equal("/data/photos", "/data/albums");
        stored.Excludes.Should().Equal("*.tmp");
        stored.TimeZone.Should().Be(ConsolePage.TimeZone);
        var row = page.Locator("tr[data-plan='Nightly photos']");
        (await row.Locator(".schedule").InnerTextAsync()).Should().Be("Daily at 02:30, Europe/Berlin");
        (await row.Locator(".state").InnerTextAsync()).Should().Be("Active");
        (await row.Locator(".next-run time").GetAttributeAsync("datetime")).Should().Be(NextDailyAt(2, 30));

        // Pause, then resume.
        await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await page.Locator("tr[data-plan='Nightly photos'][data-state='Paused']").WaitForAsync();
        (await row.Locator(".next-run").InnerTextAsync()).Should().Be("Paused");
        (await api.Api.GetFromJsonAsync<PlanResponse[]>($"/api/v1/instances/{instance}/plans", Ct))!.Single().Paused.Should().BeTrue();
        await row.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await page.Locator("tr[data-plan='Nightly photos'][data-state='Active']").WaitForAsync();

        // Edit: the form shows the plan; the new time shows in the list.
        await row.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.WaitForURLAsync($"**/plans/{stored.Id}/edit");
        (await page.GetByLabel("Paths to back up").InputValueAsync()).Should().Be("/data/photos\n/data/albums");
        await page.GetByLabel("Time of day (daily, weekly, monthly)").FillAsync("04:15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save plan" }).ClickAsync();
        await page.WaitForURLAsync($"**/instances/{instance}/plans");
        (await row.Locator(".schedule").InnerTextAsync()).Should().Be("Daily at 04:15, Europe/Berlin");
        (await row.Locator(".next-run time").GetAttributeAsync("datetime")).Should().Be(NextDailyAt(4, 15));

        // The agent enrolls with the code from the page; it is listed and the code card goes.
        var enrolled = await AgentClient.EnrollAsync(Space, code);
        enrolled.EnsureSuccessStatusCode();
        var agentToken = (await enrolled.Content.ReadFromJsonAsync<EnrollResponse>(Ct))!.Token;
        await owner.GotoAsync($"/instances/{instance}/plans");
        (await page.Locator("tr[data-agent='box.lan']").InnerTextAsync()).Should().Contain("0.1.0").And.Contain("Enrolled");
        (await page.Locator("#enroll-title").CountAsync()).Should().Be(0);
        await ShootAsync(owner, "73-plans");

        // Back up now queues a command the agent receives at its next sync.
        var agent = AgentClient.AgentApi(Space, agentToken);
        await row.GetByRole(AriaRole.Button, new() { Name = "Back up now" }).ClickAsync();
        await page.Locator(".note.ok").WaitForAsync();
        (await owner.TextAsync(".note.ok")).Should().Be("A backup of Nightly photos is queued; the agent starts it at its next check-in.");
        (await agent.SyncAsync(null, 0)).Commands.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Kind = "backupNow", PlanId = stored.Id });

        // A run the agent reports: while running its progress bar (browsers without scripts reload the page), then its figures.
        var runId = Guid.NewGuid();
        var started = Space.Clock.GetUtcNow().AddMinutes(-3);
        object Report(string phase) => new
        {
            planId = stored.Id, kind = "backup", trigger = "manual", phase, startedAt = started,
            endedAt = phase is "running" ? (DateTimeOffset?)null : started.AddSeconds(150),
            progress = new { filesDone = 1200, filesTotal = 4800, bytesDone = 3_000_000, bytesTotal = 12_000_000, bytesPerSecond = 250_000, etaSeconds = 36 },
            result = new
            {
                snapshotId = phase is "completed" ? "4c1e77a2d9b0" : null, files = 4800, bytesAdded = 7_500_000, bytesStored = 5_000_000,
                warnings = new[] { "/data/photos/locked.jpg: permission denied" }, error = (string?)null,
            },
        };
        (await agent.PutAsJsonAsync($"/api/v1/agent/runs/{runId}", Report("running"), Ct)).EnsureSuccessStatusCode();
        await page.Locator("tr[data-plan='Nightly photos']").GetByRole(AriaRole.Link, new() { Name = "Nightly photos", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/plans/{stored.Id}/runs");
        (await page.Locator("head noscript").InnerHTMLAsync()).Should().Contain("http-equiv=\"refresh\"");
        var runRow = page.Locator($"tr[data-run='{runId}']");
        (await runRow.Locator(".phase").InnerTextAsync()).Should().Be("Running");
        (await runRow.Locator(".files").InnerTextAsync()).Should().Be("1,200 of 4,800");
        (await runRow.Locator("progress").GetAttributeAsync("value")).Should().Be("3000000");
        (await runRow.Locator(".progress-text").InnerTextAsync()).Should().Be("25% done");
        (await runRow.Locator(".rate").InnerTextAsync()).Should().Be("250 kB/s, about 36 s left");

        (await agent.PutAsJsonAsync($"/api/v1/agent/runs/{runId}", Report("completed"), Ct)).EnsureSuccessStatusCode();
        await owner.GotoAsync($"/instances/{instance}/plans/{stored.Id}/runs");
        (await page.Locator("head noscript").CountAsync()).Should().Be(0);
        (await runRow.Locator(".trigger .hint").InnerTextAsync()).Should().Be("Backed up now");
        (await runRow.Locator(".phase").InnerTextAsync()).Should().Be("Completed");
        (await runRow.Locator(".duration").InnerTextAsync()).Should().Be("2 min 30 s");
        (await runRow.Locator(".files").InnerTextAsync()).Should().Be("4,800");
        (await runRow.Locator(".added").InnerTextAsync()).Should().Be("7.5 MB");
        (await runRow.Locator(".run-warnings").InnerTextAsync()).Should().Be("1 warning: /data/photos/locked.jpg: permission denied");
        await ShootAsync(owner, "74-plan-runs");
        await owner.GotoAsync($"/instances/{instance}/plans");
        (await row.Locator(".last-run").InnerTextAsync()).Should().StartWith("Completed");
        (await row.Locator(".last-snapshot time").CountAsync()).Should().Be(1);

        // Delete asks first, names the plan, and says the runs and the repository stay.
        await row.GetByRole(AriaRole.Link, new() { Name = "Delete" }).ClickAsync();
        await page.WaitForURLAsync($"**/plans/{stored.Id}/delete");
        (await owner.TextAsync("h1")).Should().Be("Delete the plan Nightly photos?");
        (await owner.TextAsync(".keeps")).Should().Contain("run history stays").And.Contain("not touched");
        await ShootAsync(owner, "75-plan-delete");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete the plan Nightly photos" }).ClickAsync();
        await page.WaitForURLAsync($"**/instances/{instance}/plans");
        (await owner.TextAsync(".empty-plans")).Should().Be("No plan yet.");
        (await api.Api.GetFromJsonAsync<PlanResponse[]>($"/api/v1/instances/{instance}/plans", Ct)).Should().BeEmpty();
        (await api.Api.GetFromJsonAsync<RunResponse>($"/api/v1/instances/{instance}/runs/{runId}", Ct))!.Phase.Should().Be("completed");

        // Revoking the agent from the page cuts it off and offers a new code again.
        await page.Locator("tr[data-agent='box.lan']").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.Locator("#enroll-title").WaitForAsync();
        (await page.Locator("tr[data-agent='box.lan'] .state").InnerTextAsync()).Should().StartWith("Revoked");
        (await agent.GetAsync("/api/v1/agent/sync?wait=0", Ct)).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }

    /// <summary>The next HH:MM in Berlin after Space's clock, worked out by hand rather than by Cronos, as ISO UTC.</summary>
    private string NextDailyAt(int hour, int minute)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById(ConsolePage.TimeZone);
        var now = Space.Clock.GetUtcNow();
        var today = TimeZoneInfo.ConvertTime(now, berlin).Date;
        for (var day = today; ; day = day.AddDays(1))
        {
            var local = day.AddHours(hour).AddMinutes(minute);
            var slot = new DateTimeOffset(local, berlin.GetUtcOffset(local)).ToUniversalTime();
            if (slot > now)
            {
                return slot.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }
        }
    }

    private static async Task ShootAsync(ConsolePage tab, string name)
    {
        await tab.CheckAsync($"{name}-1280");
        await tab.Page.SetViewportSizeAsync(390, 844);
        await tab.CheckAsync($"{name}-390");
        await tab.Page.SetViewportSizeAsync(1280, 900);
    }
}
