using System.Collections.Concurrent;
using System.Text.Json;
using Cairn.Agent.Journal;
using Cairn.Agent.Protocol;
using Cairn.Agent.Running;
using Cairn.Agent.Scheduling;
using Cairn.Agent.State;

namespace Cairn.Agent;

/// <summary>
/// <c>cairn agent run</c>: the long poll for plans and commands, the schedule, the runs and their reports, until
/// <paramref name="stop"/> fires. A run cut off by the stop ends interrupted, and its plan runs again at the next start.
/// </summary>
public sealed class AgentLoop(StateFolder state, SpaceClient client, PlanRunner runner, TimeProvider time, Action<string> log)
{
    /// <summary>How long one long poll asks Space to hold the request.</summary>
    public const int SyncWaitSeconds = 25;

    /// <summary>How often the schedule is looked at.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly RunJournal _journal = new(state, time);
    private readonly RunGate _gate = new();
    private readonly ConcurrentDictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RunRequest> _requested = new();
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _firstPlans = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PlanScheduler? _scheduler;
    private volatile IReadOnlyList<PlanDocument> _plans = LoadPlans(state);
    private long _revision = -1;

    /// <summary>Completes once plans are known: from the first sync, or the last one saved before a restart.</summary>
    public Task PlansKnown => _firstPlans.Task;

    public async Task RunAsync(CancellationToken stop)
    {
        state.Create();
        var reporter = new RunReporter(client, _journal, time);
        reporter.Retrying += (e, delay) => log($"reporting runs: {e.Message}; next try in {delay.TotalSeconds:0} s");
        foreach (var planId in _journal.InterruptUnfinished())
        {
            log($"plan {planId}: its last run was interrupted; running it again");
            _requested.Enqueue(new RunRequest(planId, RunKinds.Backup, RunTriggers.Resume));
        }

        _scheduler = new PlanScheduler(state, time);
        _scheduler.InvalidPlan += (plan, problem) => log($"plan {plan.Name} ({plan.Id}) has no scheduled runs: {problem}");
        if (_plans.Count > 0)
        {
            _firstPlans.TrySetResult();
        }

        // A revoked token ends everything: the loop stops as if told to, then says why.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var stopReporting = new CancellationTokenSource();
        var reporting = StopOnFailure(reporter.RunAsync(stopReporting.Token), running);
        var syncing = StopOnFailure(SyncLoopAsync(reporter, running.Token), running);
        try
        {
            await ScheduleLoopAsync(reporter, running.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_active.Values.Select(r => r.Completion)).ConfigureAwait(false);
        await IgnoreCancellation(syncing).ConfigureAwait(false);

        // The last reports (the interrupted runs) get a few seconds; what is left waits in the journal.
        using var lastFlush = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        await IgnoreCancellation(reporter.FlushAsync(lastFlush.Token)).ConfigureAwait(false);
        await stopReporting.CancelAsync().ConfigureAwait(false);
        await IgnoreCancellation(reporting).ConfigureAwait(false);
    }

    private static async Task StopOnFailure(Task task, CancellationTokenSource running)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await running.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task SyncLoopAsync(RunReporter reporter, CancellationToken stop)
    {
        var backoff = new Backoff();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var answer = await client.SyncAsync(_revision, SyncWaitSeconds, stop).ConfigureAwait(false);
                backoff.Reset();
                if (answer.Revision != _revision)
                {
                    _revision = answer.Revision;
                    _plans = answer.Plans ?? [];
                    _scheduler?.Retain(_plans);
                    SavePlans(answer);
                }

                _firstPlans.TrySetResult();
                foreach (var command in answer.Commands ?? [])
                {
                    // A command whose acknowledgement was lost comes again: it is acknowledged, not taken twice.
                    if (_taken.Add(command.Id))
                    {
                        Take(command);
                    }

                    await client.AcknowledgeAsync(command.Id, stop).ConfigureAwait(false);
                }

                reporter.Notify();
            }
            catch (Exception e) when (e is SpaceUnreachableException or SpaceRefusedException or System.Text.Json.JsonException)
            {
                var delay = backoff.NextDelay();
                log($"sync: {e.Message}; next try in {delay.TotalSeconds:0} s");
                await Task.Delay(delay, time, stop).ConfigureAwait(false);
            }
        }
    }

    private void Take(CommandDocument command)
    {
        switch (command.Kind)
        {
            case CommandKinds.BackupNow when command.PlanId is { } planId:
                _requested.Enqueue(new RunRequest(planId, RunKinds.Backup, RunTriggers.Manual));
                break;
            case CommandKinds.Restore when command.PlanId is { } planId:
                _requested.Enqueue(new RunRequest(planId, RunKinds.Restore, RunTriggers.Manual, command.Restore ?? new RestoreDocument()));
                break;
            case CommandKinds.Cancel when command.RunId is { } runId:
                if (_active.TryGetValue(runId, out var run))
                {
                    run.Cancel();
                }

                break;
            default:
                log($"command {command.Id}: {command.Kind} is not supported by this agent; ignored");
                break;
        }
    }

    private async Task ScheduleLoopAsync(RunReporter reporter, CancellationToken stop)
    {
        await PlansKnown.WaitAsync(stop).ConfigureAwait(false);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                StartRequested(reporter, stop);
                foreach (var due in _scheduler!.Due(_plans))
                {
                    if (_gate.TryEnter(due.Plan.Id, due.Plan.Task))
                    {
                        _scheduler.MarkStarted(due);
                        Start(due.Plan, due.Kind, due.Trigger, reporter, stop);
                    }
                }
            }
            catch (IOException e)
            {
                // The state folder could not be written (disk full?): the next tick tries again.
                log($"schedule: {e.Message}");
            }

            await Task.Delay(Tick, time, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Back up now and resumed runs; one whose plan is busy waits for the next tick.</summary>
    private void StartRequested(RunReporter reporter, CancellationToken stop)
    {
        var waiting = new List<RunRequest>();
        while (_requested.TryDequeue(out var request))
        {
            var plan = _plans.FirstOrDefault(p => p.Id == request.PlanId);
            if (plan is null)
            {
                log($"plan {request.PlanId} is not among the instance's plans; nothing to run");
            }
            else if (_gate.TryEnter(plan.Id, plan.Task))
            {
                Start(plan, request.Kind, request.Trigger, reporter, stop, request.Restore);
            }
            else if (!waiting.Contains(request))
            {
                waiting.Add(request);
            }
        }

        waiting.ForEach(_requested.Enqueue);
    }

    private void Start(PlanDocument plan, string kind, string trigger, RunReporter reporter, CancellationToken stop, RestoreDocument? restore = null)
    {
        var runId = Guid.NewGuid().ToString("D");
        var run = new ActiveRun(CancellationTokenSource.CreateLinkedTokenSource(stop));
        _active[runId] = run;
        run.Completion = Task.Run(() => ExecuteAsync(runId, plan, kind, trigger, restore, run, reporter, stop), CancellationToken.None);
    }

    private async Task ExecuteAsync(string runId, PlanDocument plan, string kind, string trigger, RestoreDocument? restore, ActiveRun run, RunReporter reporter, CancellationToken stop)
    {
        var initial = new RunReport { PlanId = plan.Id, Kind = kind, Trigger = trigger, Phase = RunPhases.Pending, StartedAt = time.GetUtcNow() };
        using var recorder = new RunRecorder(runId, initial, _journal, reporter.Notify, time);
        log($"plan {plan.Name} ({plan.Id}): {kind} run {runId} starts ({trigger})");
        try
        {
            recorder.Start();
            if (kind == RunKinds.Prune)
            {
                await runner.PruneAsync(plan, run.Token).ConfigureAwait(false);
            }
            else if (kind == RunKinds.Restore)
            {
                await runner.RestoreAsync(plan, restore ?? new RestoreDocument(), recorder, run.Token).ConfigureAwait(false);
            }
            else
            {
                await runner.BackupAsync(plan, recorder, run.Token).ConfigureAwait(false);
            }

            recorder.End(RunPhases.Completed);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            if (stop.IsCancellationRequested && !run.CanceledByCommand)
            {
                recorder.End(RunPhases.Interrupted, "the agent was stopped during the run", resumeOnStart: kind == RunKinds.Backup);
            }
            else
            {
                recorder.End(RunPhases.Canceled, "canceled from Space");
            }
        }
        catch (Exception e)
        {
            recorder.End(RunPhases.Failed, RunErrors.InPlainWords(e));
            if (!RunErrors.IsExpected(e))
            {
                log($"run {runId}: unexpected failure: {e}");
            }
        }
        finally
        {
            _gate.Exit(plan.Id, plan.Task);
            _active.TryRemove(runId, out _);
            run.Dispose();
            log($"plan {plan.Name} ({plan.Id}): run {runId} {recorder.Current.Phase}{(recorder.Current.Result.Error is { } error ? ": " + error : "")}");
        }
    }

    private void SavePlans(SyncResponse answer) => AtomicFile.WriteAllBytes(state.PlansFile,
        JsonSerializer.SerializeToUtf8Bytes(answer with { Commands = [] }, AgentJsonContext.Default.SyncResponse));

    private static IReadOnlyList<PlanDocument> LoadPlans(StateFolder state)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(state.PlansFile), AgentJsonContext.Default.SyncResponse)?.Plans ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return [];
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record RunRequest(string PlanId, string Kind, string Trigger, RestoreDocument? Restore = null);

    private sealed class ActiveRun(CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token { get; } = source.Token;

        public bool CanceledByCommand { get; private set; }

        public Task Completion { get; set; } = Task.CompletedTask;

        public void Cancel()
        {
            CanceledByCommand = true;
            source.Cancel();
        }

        public void Dispose() => source.Dispose();
    }
}
