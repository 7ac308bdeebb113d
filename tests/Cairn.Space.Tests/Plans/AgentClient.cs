using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cairn.Space.Agents;
using Cairn.Space.Plans;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Space.Tests.Plans;

/// <summary>The owner's side of plans and agents, and an enrolled agent speaking the agent API, as tests use them.</summary>
public static class AgentClient
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static object DailyPlan(string task = "photos", string name = "Photos nightly") => new
    {
        name,
        task,
        paths = new[] { "/data/photos" },
        excludes = new[] { "*.tmp" },
        schedule = new { kind = "daily", time = "02:30" },
        timeZone = "Europe/Berlin",
        retention = new { keepLast = 3, keepDaily = 7 },
    };

    public static async Task<PlanResponse> CreatePlanAsync(this SpaceClient owner, string instance, object? plan = null)
    {
        var response = await owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/plans", plan ?? DailyPlan(), Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PlanResponse>(Ct))!;
    }

    public static async Task<string> MintCodeAsync(this SpaceClient owner, string instance)
    {
        var response = await owner.Api.PostAsync($"/api/v1/instances/{instance}/agent-codes", null, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnrollmentCodeResponse>(Ct))!.Code;
    }

    public static Task<HttpResponseMessage> EnrollAsync(SpaceFactory space, string code)
        => space.CreateClient().PostAsJsonAsync("/api/v1/agent/enroll", new { code, hostname = "box.lan", agentVersion = "0.1.0" }, Ct);

    /// <summary>Mints a code on the instance and enrolls an agent with it.</summary>
    public static async Task<EnrollResponse> EnrollAgentAsync(this SpaceClient owner, SpaceFactory space, string instance)
    {
        var response = await EnrollAsync(space, await owner.MintCodeAsync(instance));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnrollResponse>(Ct))!;
    }

    public static HttpClient AgentApi(SpaceFactory space, string token)
    {
        var client = space.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<SyncResponse> SyncAsync(this HttpClient agent, long? revision, int wait, CancellationToken? cancellationToken = null)
    {
        var query = revision is null ? $"wait={wait}" : $"revision={revision}&wait={wait}";
        var response = await agent.GetAsync($"/api/v1/agent/sync?{query}", cancellationToken ?? Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SyncResponse>(Ct))!;
    }

    public static async Task<string?> ProblemAsync(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct))?.Detail;
}
