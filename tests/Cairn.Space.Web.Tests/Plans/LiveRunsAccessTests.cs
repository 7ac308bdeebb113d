using System.Text.Json;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Tests.Plans;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Plans;

/// <summary>
/// The route console-runs.js polls answers the signed-in owner only: the owner's cookie reads the figures, another
/// account's is a 404 as for a missing instance, and a request without a session is refused (401).
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
