using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Space.Agents;
using Cairn.Space.Plans;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Tests.Plans;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Plans;

/// <summary>
/// The console with a real <c>cairn agent</c> process enrolled against the test Space, in headless Chromium: Back up
/// now and the run's progress bar moving to Completed without a page reload; the backup list with the task's plan;
/// the snapshot list with the agent's files and bytes added and, for a snapshot plain restic made, the bytes Space
/// counted; a restore on the instance into a folder, compared file by file; and Cancel of a long run. Screenshots
/// 76–79 and 84–89, at 1280 and 390 px.
/// </summary>
public sealed class AgentConsoleTests(ConsoleFixture fixture) : IDisposable
{
    private const string BackupPassword = "agent console test backup password";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    private readonly string _scratch = Directory.CreateTempSubdirectory("cairn-agent-console-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Space;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Back_up_now_moves_the_bar_to_Completed_without_a_reload_then_the_snapshot_sizes_show_and_a_restore_lands_on_the_instance()
    {
        await using var owner = await fixture.NewPageAsync();
        var page = owner.Page;
        var (api, instance) = await SignUpAsync(owner);
        // Seven 16 MiB packs uploaded at 8 MiB/s: the engine fills three before the two upload slots hold it back,
        // then moves on a pack every two seconds or so, so the agent's reports (every 3 s) show the bar moving.
        var source = MakeSource("photos", files: 56, bytesEach: 2_000_000);
        var plan = await api.CreatePlanAsync(instance, Plan("Photos", "photos", source, uploadKiBps: 8192));
        await using var agent = await CairnAgentProcess.EnrollAndStartAsync(Space.ListenAddress, await api.MintCodeAsync(instance), BackupPassword, _scratch);

        await owner.GotoAsync($"/instances/{instance}/plans");
        var planRow = page.Locator("tr[data-plan='Photos']");
        await planRow.GetByRole(AriaRole.Button, new() { Name = "Back up now" }).ClickAsync();
        (await owner.TextAsync(".note.ok")).Should().Be("A backup of Photos is queued; the agent starts it at its next check-in.");
        await planRow.GetByRole(AriaRole.Link, new() { Name = "Photos", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/plans/{plan.Id}/runs");

        // From here on the page is never reloaded: a reload would drop this mark. (Playwright's clock, which the fixture
        // sets to Space's, replaces performance too: it lists no navigation entries to count.)
        await page.EvaluateAsync("() => { window.stayedOnPage = true; }");
        var seen = await WatchNewestRunAsync(owner, "77-plan-run-progress", agent);
        seen.Last().Should().Be("completed|none", $"the run ends Completed; seen: {string.Join(", ", seen)}");
        var values = seen.Where(s => s.StartsWith("running|", StringComparison.Ordinal) && s.Contains('/', StringComparison.Ordinal)).ToList();
        values.Should().HaveCountGreaterThan(1, $"the bar moved while the run ran, without a reload; seen: {string.Join(", ", seen)}");
        (await page.EvaluateAsync<bool>("() => window.stayedOnPage === true")).Should().BeTrue("the page was not reloaded");
        (await page.EvaluateAsync<int>("() => Number(document.documentElement.getAttribute('data-live-updates'))")).Should().BeGreaterThan(1);

        // The completed run's figures, as the agent reported them, written by the script as the server writes them.
        var run = (await api.Api.GetFromJsonAsync<RunResponse[]>($"/api/v1/instances/{instance}/plans/{plan.Id}/runs", Ct))!
            .Should().ContainSingle().Subject;
        run.Phase.Should().Be("completed");
        var runRow = page.Locator($"tr[data-run='{run.Id}']");
        (await runRow.Locator(".phase").InnerTextAsync()).Should().Be("Completed");
        (await runRow.Locator(".files").InnerTextAsync()).Should().Be(run.Result.Files.ToString("#,0", CultureInfo.InvariantCulture));
        (await runRow.Locator(".snapshot code").InnerTextAsync()).Should().Be(run.Result.SnapshotId![..8]);
        (await runRow.Locator(".cancel-run").CountAsync()).Should().Be(0, "an ended run has nothing to cancel");
        run.Result.Files.Should().Be(57, "56 parts and a note");
        await ShootAsync(owner, "78-plan-run-completed");

        // A plain restic client backs up to the same task: Space cannot read its snapshot, but it counted the upload.
        Space.Clock.Advance(TimeSpan.FromMinutes(5));
        await owner.SyncClockAsync();
        var extra = MakeSource("extra", files: 1, bytesEach: 400_000);
        var enrolled = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(agent.StateDirectory, "agent.json"), Ct)).RootElement;
        var restic = new Restic($"rest:http://{AgentTokens.RepositoryUser(enrolled.GetProperty("agentId").GetGuid())}:"
                                + $"{enrolled.GetProperty("token").GetString()}@{Space.ListenAddress.Authority}/repo/{instance}/photos/",
            new Dictionary<string, string> { ["RESTIC_PASSWORD"] = BackupPassword });
        (await restic.RunAsync("backup", "--no-cache", extra)).EnsureSuccess();

        // The backup list: the task with its plan, its state, last result and next run, linking to the run history.
        await owner.GotoAsync("/");
        var task = (await api.BackupsAsync()).Single(b => b.Name == "photos");
        var taskPlan = page.Locator($"tr[data-task-id='{task.Id}'] li[data-plan='Photos']");
        (await taskPlan.Locator(".state").InnerTextAsync()).Should().Be("Active");
        (await taskPlan.Locator(".last-result").InnerTextAsync()).Should().Be("last run completed");
        (await taskPlan.Locator(".next-run time").CountAsync()).Should().Be(1);
        (await taskPlan.GetByRole(AriaRole.Link, new() { Name = "Photos" }).GetAttributeAsync("href")).Should().Be($"/instances/{instance}/plans/{plan.Id}/runs");
        await ShootAsync(owner, "76-backup-list-plans");

        // The task's snapshots: the agent's with its report's files and bytes added, restic's with what Space counted.
        await page.Locator($"tr[data-task-id='{task.Id}']").GetByRole(AriaRole.Link, new() { Name = "View details" }).ClickAsync();
        await page.WaitForURLAsync($"**/backups/{task.Id}");
        (await page.Locator("a.plans-link").GetAttributeAsync("href")).Should().Be($"/instances/{instance}/plans");
        (await owner.TextAsync(".task-plan .plan-name")).Should().Be("Photos");
        var byAgent = page.Locator($"tr[data-snapshot-id^='{run.Result.SnapshotId![..8]}']");
        (await byAgent.Locator(".files").InnerTextAsync()).Should().Be("57");
        (await byAgent.Locator(".size .bytes").GetAttributeAsync("data-bytes")).Should().Be(run.Progress.BytesTotal.ToString(CultureInfo.InvariantCulture));
        run.Progress.BytesTotal.Should().BeGreaterThan(112_000_000);
        (await byAgent.Locator(".added").GetAttributeAsync("data-source")).Should().Be("agent");
        (await byAgent.Locator(".added .bytes").GetAttributeAsync("data-bytes")).Should().Be(run.Result.BytesAdded.ToString(CultureInfo.InvariantCulture));
        (await byAgent.Locator(".added .source").InnerTextAsync()).Should().Be("by cairn agent's report");
        var byRestic = page.Locator("tr[data-snapshot-id]").Filter(new() { Has = page.Locator(".added[data-source='space']") });
        (await byRestic.CountAsync()).Should().Be(1);
        var uploaded = long.Parse((await byRestic.Locator(".added .bytes").GetAttributeAsync("data-bytes"))!, CultureInfo.InvariantCulture);
        uploaded.Should().BeInRange(400_000, 1_000_000, "restic uploaded the incompressible 400 kB file, its tree, index and snapshot");
        (await byRestic.Locator(".added .source").InnerTextAsync()).Should().Be("uploaded since the previous snapshot");
        await ShootAsync(owner, "84-backup-details-snapshot-sizes");

        // Restore on the instance: a relative folder is refused in plain words; then the agent restores into a folder.
        var target = Path.Combine(_scratch, "restored");
        var form = page.Locator("form.restore-form");
        await form.GetByLabel("Snapshot").SelectOptionAsync((await byAgent.GetAttributeAsync("data-snapshot-id"))!);
        await form.GetByLabel("Into a folder on the instance").CheckAsync();
        await form.GetByLabel("Target folder").FillAsync("restored");
        await form.GetByLabel("Files that exist already").SelectOptionAsync("never");
        await ShootAsync(owner, "85-restore-on-instance");
        await form.GetByRole(AriaRole.Button, new() { Name = "Restore on the instance" }).ClickAsync();
        await page.Locator(".note.error").WaitForAsync();
        (await owner.TextAsync(".note.error")).Should().Be("Target folder: give an absolute path on the instance, such as /srv/restored, or choose the original paths.");
        await ShootAsync(owner, "86-restore-refused");
        await page.Locator("form.restore-form").GetByLabel("Target folder").FillAsync(target);
        await page.Locator("form.restore-form").GetByRole(AriaRole.Button, new() { Name = "Restore on the instance" }).ClickAsync();
        await page.WaitForURLAsync($"**/plans/{plan.Id}/runs?queued=restore");
        (await owner.TextAsync(".note.ok")).Should().StartWith($"The restore is queued: the agent on {instance} starts it at its next check-in");

        // The restore run appears on the run history without a reload and ends Completed.
        await page.EvaluateAsync("() => { window.stayedOnPage = true; }");
        var restoreRow = page.Locator("tr[data-run]").Filter(new() { HasText = "Restore on the instance" });
        await restoreRow.And(page.Locator("[data-phase='completed']")).WaitForAsync(new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        (await page.EvaluateAsync<bool>("() => window.stayedOnPage === true")).Should().BeTrue("the restore's row came without a reload");
        (await restoreRow.Locator(".trigger .hint").InnerTextAsync()).Should().Be("Asked from the console");
        await ShootAsync(owner, "87-restore-run");
        Trees.Snapshot(Trees.Restored(target, source)).Should().Equal(Trees.Snapshot(source), "the restored tree is the backed-up one");
    }

    [Fact]
    public async Task Cancel_stops_a_long_backup_and_its_row_turns_Canceled_without_a_reload()
    {
        await using var owner = await fixture.NewPageAsync();
        var page = owner.Page;
        var (api, instance) = await SignUpAsync(owner);
        // 8 MB at 64 KiB/s: two minutes, far longer than the test waits before it cancels.
        var source = MakeSource("videos", files: 8, bytesEach: 1_000_000);
        var plan = await api.CreatePlanAsync(instance, Plan("Videos", "videos", source, uploadKiBps: 64));
        await using var agent = await CairnAgentProcess.EnrollAndStartAsync(Space.ListenAddress, await api.MintCodeAsync(instance), BackupPassword, _scratch);

        // The Plans page's row shows the run's progress as it starts, without a reload.
        await owner.GotoAsync($"/instances/{instance}/plans");
        var planRow = page.Locator("tr[data-plan='Videos']");
        await planRow.GetByRole(AriaRole.Button, new() { Name = "Back up now" }).ClickAsync();
        await page.EvaluateAsync("() => { window.stayedOnPage = true; }");
        await planRow.Locator(".last-run[data-phase='running'] progress[value]").WaitForAsync(new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        (await planRow.Locator(".last-run .run-phase").InnerTextAsync()).Should().Be("Running");
        (await page.EvaluateAsync<bool>("() => window.stayedOnPage === true")).Should().BeTrue();
        await ShootAsync(owner, "79-plans-running");

        // Cancel from the run history: said in plain words; the row turns Canceled by itself.
        await planRow.GetByRole(AriaRole.Link, new() { Name = "Videos", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/plans/{plan.Id}/runs");
        var runRow = page.Locator("tr[data-run][data-phase='running']");
        await runRow.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        (await owner.TextAsync(".note.ok")).Should().Be($"Cancel is sent: the agent on {instance} stops the run at its next check-in, and it shows here as Canceled.");
        await ShootAsync(owner, "88-run-cancel");
        await page.EvaluateAsync("() => { window.stayedOnPage = true; }");
        var canceled = page.Locator("tr[data-run][data-phase='canceled']");
        await canceled.WaitForAsync(new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        (await page.EvaluateAsync<bool>("() => window.stayedOnPage === true")).Should().BeTrue("the row turned Canceled without a reload");
        (await canceled.Locator(".phase").InnerTextAsync()).Should().Be("Canceled");
        (await canceled.Locator("progress").CountAsync()).Should().Be(0);
        (await canceled.Locator(".cancel-run").CountAsync()).Should().Be(0);
        await ShootAsync(owner, "89-run-canceled");

        // Cancel of the ended run (as a second tab could still post it) is refused in plain words.
        var runId = (await canceled.GetAttributeAsync("data-run"))!;
        var stale = await owner.Context.NewPageAsync();
        await stale.GotoAsync($"/instances/{instance}/plans/{plan.Id}/runs");
        await stale.EvaluateAsync($$"""
            () => {
              const form = document.querySelector("form.live-runs");
              const button = document.createElement("button");
              button.type = "submit"; button.name = "RunAction.Cancel"; button.value = "{{runId}}"; button.id = "stale-cancel";
              form.append(button);
            }
            """);
        await stale.Locator("#stale-cancel").ClickAsync();
        (await stale.Locator(".note.error").InnerTextAsync()).Trim().Should().Be("This run has ended already, so there is nothing to cancel.");
    }

    /// <summary>
    /// Watches the newest run's row on the run history page until it ends: "phase|value/max" each time it changes
    /// ("indeterminate" for a bar without a value yet, "none" without a bar). The page itself records every change
    /// (every 100 ms), so none is missed while the test photographs the row once it runs.
    /// </summary>
    private static async Task<List<string>> WatchNewestRunAsync(ConsolePage owner, string screenshot, CairnAgentProcess agent)
    {
        await owner.Page.EvaluateAsync("""
            () => {
              window.seenStates = [];
              setInterval(() => {
                const row = document.querySelector("table.runs tbody tr[data-run]");
                if (!row) return;
                const bar = row.querySelector("progress");
                const state = row.getAttribute("data-phase") + "|" + (!bar ? "none" : bar.hasAttribute("value") ? bar.value + "/" + bar.max : "indeterminate");
                if (window.seenStates[window.seenStates.length - 1] !== state) window.seenStates.push(state);
              }, 100);
            }
            """);
        var shot = false;
        var deadline = DateTime.UtcNow + RunTimeout;
        while (true)
        {
            var seen = (await owner.Page.EvaluateAsync<string[]>("() => window.seenStates")).ToList();
            if (seen.Count > 0 && RunPhases.IsEnded(seen[^1].Split('|')[0]))
            {
                return seen;
            }

            if (!shot && seen.Count > 0 && seen[^1].StartsWith("running|", StringComparison.Ordinal) && seen[^1].Contains('/', StringComparison.Ordinal))
            {
                shot = true;
                await ShootAsync(owner, screenshot);
            }

            if (DateTime.UtcNow > deadline || agent.HasExited)
            {
                throw new TimeoutException($"the run did not end; seen: {string.Join(", ", seen)}; agent log:\n{await agent.LogAsync()}");
            }

            await Task.Delay(200, Ct);
        }
    }

    private async Task<(SpaceClient Api, string Instance)> SignUpAsync(ConsolePage owner)
    {
        var email = $"agent-console-{Guid.NewGuid():N}@example.org";
        await owner.GotoAsync("/signup");
        await owner.Page.GetByLabel("Email").FillAsync(email);
        await owner.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await owner.Page.WaitForURLAsync("**/");
        var api = await SpaceClient.SignInAsync(Space, email, SpaceClient.Password);
        return (api, await api.RegisterInstanceAsync());
    }

    /// <summary>A daily plan whose slot is half a day away, so only Back up now starts a run during the test.</summary>
    private static object Plan(string name, string task, string path, int uploadKiBps) => new
    {
        name, task, paths = new[] { path }, excludes = Array.Empty<string>(),
        schedule = new { kind = "daily", time = DateTime.UtcNow.AddHours(12).ToString("HH:mm", CultureInfo.InvariantCulture) },
        timeZone = "UTC", retention = new { keepLast = 5 }, uploadLimitKiBps = uploadKiBps,
    };

    /// <summary>Incompressible files in a folder, and a small text tree beside them.</summary>
    private string MakeSource(string name, int files, int bytesEach)
    {
        var root = Path.Combine(_scratch, name);
        Directory.CreateDirectory(Path.Combine(root, "notes"));
        for (var i = 0; i < files; i++)
        {
            File.WriteAllBytes(Path.Combine(root, $"part{i:D3}.bin"), Objects.Random(bytesEach));
        }

        File.WriteAllText(Path.Combine(root, "notes", "readme.txt"), $"{name} {Guid.NewGuid()}");
        return root;
    }

    /// <summary>Checks and photographs the page at 1280 and 390 px; at 390 nothing may run off the phone's screen.</summary>
    private static async Task ShootAsync(ConsolePage tab, string name)
    {
        await tab.CheckAsync($"{name}-1280");
        await tab.Page.SetViewportSizeAsync(390, 844);
        await tab.CheckAsync($"{name}-390");
        (await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, $"{name} fits a phone's width");
        await tab.Page.SetViewportSizeAsync(1280, 900);
    }
}
