using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Tests.Plans;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Plans;

/// <summary>
/// The route console-runs.js polls answers the signed-in owner only: the owner's cookie reads the figures, another
/// account's is a 404 as for a missing instance, and a request without a session is refused (401). Without scripts
/// the run history still shows a running run's figures, and reloads itself until it ends.
/// </summary>
public sealed class LiveRunsAccessTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task The_live_runs_route_answers_the_owner_s_cookie_only()
    {
        await using var owner = await fixture.NewPageAsync();
        var api = await SignUpAsync(owner);
        var instance = await api.RegisterInstanceAsync();
        var plan = await api.CreatePlanAsync(instance);
        var plans = $"/console-live/instances/{instance}/plans";
        var runs = $"{plans}/{plan.Id}/runs";

        var mine = await owner.Context.APIRequest.GetAsync(plans);
        mine.Status.Should().Be(200);
        mine.Headers["cache-control"].Should().Contain("no-store");
        var latest = JsonDocument.Parse(await mine.TextAsync()).RootElement.EnumerateArray().Should().ContainSingle().Subject;
        latest.GetProperty("planId").GetGuid().Should().Be(plan.Id);
        latest.GetProperty("run").ValueKind.Should().Be(JsonValueKind.Null, "no run yet");
        var history = await owner.Context.APIRequest.GetAsync(runs);
        history.Status.Should().Be(200);
        (await history.TextAsync()).Should().Be("[]");

        await using var stranger = await fixture.NewPageAsync();
        await SignUpAsync(stranger);
        (await stranger.Context.APIRequest.GetAsync(plans)).Status.Should().Be(404);
        (await stranger.Context.APIRequest.GetAsync(runs)).Status.Should().Be(404);

        await using var nobody = await fixture.NewPageAsync();
        var signedOut = await nobody.Context.APIRequest.GetAsync(runs, new() { MaxRedirects = 0 });
        signedOut.Status.Should().Be(401);
        (await signedOut.TextAsync()).Should().NotContain(plan.Id.ToString());
    }

    [Fact]
    public async Task Without_scripts_the_run_history_shows_the_running_run_and_reloads_itself()
    {
        await using var owner = await fixture.NewPageAsync();
        var api = await SignUpAsync(owner);
        var instance = await api.RegisterInstanceAsync();
        var plan = await api.CreatePlanAsync(instance);
        var agent = AgentClient.AgentApi(fixture.Space, (await api.EnrollAgentAsync(fixture.Space, instance)).Token);
        var runId = Guid.NewGuid();
        (await agent.PutAsJsonAsync($"/api/v1/agent/runs/{runId}", new
        {
            planId = plan.Id, kind = "backup", trigger = "schedule", phase = "running", startedAt = fixture.Space.Clock.GetUtcNow().AddMinutes(-1),
            progress = new { filesDone = 10, filesTotal = 40, bytesDone = 500_000, bytesTotal = 2_000_000, bytesPerSecond = 8_000, etaSeconds = 190 },
            result = new { files = 0, bytesAdded = 0, bytesStored = 0, warnings = Array.Empty<string>() },
        }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            JavaScriptEnabled = false,
            StorageState = await owner.Context.StorageStateAsync(), // the owner's session cookie
        });
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/instances/{instance}/plans/{plan.Id}/runs");
        var row = page.Locator($"tr[data-run='{runId}']");
        (await row.Locator(".phase").InnerTextAsync()).Should().Be("Running");
        (await row.Locator("progress").GetAttributeAsync("value")).Should().Be("500000");
        (await row.Locator(".progress-text").InnerTextAsync()).Should().Be("25% done");
        (await page.Locator("head meta[http-equiv='refresh']").GetAttributeAsync("content")).Should().Be("5", "without scripts the page reloads itself");
    }

    private async Task<SpaceClient> SignUpAsync(ConsolePage tab)
    {
        var email = $"live-{Guid.NewGuid():N}@example.org";
        await tab.GotoAsync("/signup");
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/");
        return await SpaceClient.SignInAsync(fixture.Space, email, SpaceClient.Password);
    }
}
