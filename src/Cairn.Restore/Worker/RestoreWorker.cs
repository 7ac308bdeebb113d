using Cairn.Platform;
using Cairn.Repository;
using Cairn.Restore;
using Cairn.Storage;

namespace Cairn.Restore.Worker;

/// <summary>
/// The child side of a restore to a cloud disk: a hidden verb of the <c>cairn</c> binary (<c>cairn restore-worker</c>,
/// which an ssh driver runs on a remote host) and of Space's own executable (checked in its Program.cs before any web
/// host is built; the local driver runs that one). It runs with the disk as
/// its working directory, as the unprivileged restore user, reads the password from the first frame on standard
/// input, reads the repository through the parent (<see cref="ParentObjectStore"/>), restores with the foreign
/// snapshot policy into the working directory, verifies, and reports over standard output. Exit code 0 when
/// verified, 2 for a wrong password, 1 otherwise.
/// </summary>
public static class RestoreWorker
{
    /// <summary>The hidden verb that starts the worker process.</summary>
    public const string Verb = "restore-worker";

    /// <summary>Whether the process was started as the worker.</summary>
    public static bool IsInvokedAs(string[] args) => args is [Verb];

    /// <summary>Runs the worker: the job from the parent's first frame, restore and verification through the parent, and the exit code described above.</summary>
    public static async Task<int> RunAsync(Stream fromParent, Stream toParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fromParent);
        ArgumentNullException.ThrowIfNull(toParent);
        var start = await WorkerFrame.ReadAsync(fromParent, cancellationToken).ConfigureAwait(false);
        if (start is not { Type: FrameType.Start })
        {
            await Console.Error.WriteLineAsync("restore-worker: expected the start frame on standard input").ConfigureAwait(false);
            return 1;
        }

        var message = start.ReadHeader<StartMessage>();
        var store = new ParentObjectStore(toParent);
        var replies = store.ReceiveRepliesAsync(fromParent, cancellationToken);
        Task Report(EventMessage e) => store.SendAsync(WorkerFrame.Of(FrameType.Event, 0, e), cancellationToken);
        var uid = PosixFileSystem.EffectiveUserId;
        try
        {
            ResticRepository repository;
            try
            {
                repository = await ResticRepository.OpenAsync(store, message.Password, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (WrongPasswordException)
            {
                await Report(new EventMessage(WorkerEvents.WrongPassword) { Uid = uid }).ConfigureAwait(false);
                return 2;
            }

            // A shared lock, as restic takes to restore (the instance may keep backing up, but no prune runs under us),
            // then the snapshot, then the index: the engine's one reader sequence. An index file that does not open
            // (garbage from an append-only credential) must not stop the owner's restore: it is left out with a
            // warning, and the verification still catches anything missing.
            var skipped = new System.Collections.Concurrent.ConcurrentQueue<(ObjectName Name, string Reason)>();
            var session = await ReadSession.OpenAsync(repository, SnapshotQuery.One(message.Snapshot), new ReadSessionOptions
            {
                RetryLockFor = TimeSpan.FromMinutes(1),
                UnreadableIndex = (name, e) => skipped.Enqueue((name, e.Message)),
            }, ownsRepository: true, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                foreach (var (name, reason) in skipped)
                {
                    await Report(new EventMessage(WorkerEvents.Warning) { Path = name.ToString(), Message = "index file left out: " + reason })
                        .ConfigureAwait(false);
                }

                var (_, snapshot) = session.Snapshot;
                await Report(new EventMessage(WorkerEvents.Opened) { Uid = uid }).ConfigureAwait(false);

                var source = new RepositoryRestoreSource(repository);
                var progress = new ReportingProgress(Report);
                var options = new RestoreOptions
                {
                    Target = Restorer.WorkingDirectory,
                    Safety = HostSafety.ForeignSnapshot,
                    Concurrency = Math.Max(1, message.Concurrency),
                };
                using (progress.Every(TimeSpan.FromSeconds(1)))
                {
                    await new Restorer(source, progress).RunAsync(snapshot.Tree, options, cancellationToken).ConfigureAwait(false);
                }

                var verified = await new RestoreVerifier(source).VerifyAsync(snapshot.Tree, Restorer.WorkingDirectory, HostSafety.ForeignSnapshot, cancellationToken)
                    .ConfigureAwait(false);
                await progress.FlushAsync().ConfigureAwait(false);
                await Report(new EventMessage(WorkerEvents.Verified)
                {
                    Uid = uid, Files = verified.Files, Directories = verified.Directories, Bytes = verified.Bytes, Skipped = verified.Skipped,
                }).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Report(new EventMessage(WorkerEvents.Failed) { Uid = uid, Message = e.Message, Verification = e is RestoreVerificationException })
                .ConfigureAwait(false);
            return 1;
        }
        finally
        {
            await toParent.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _ = replies;
        }
    }

    /// <summary>Runs the worker on this process's standard input and output; anything else written to the console goes to standard error.</summary>
    public static async Task<int> RunOnConsoleAsync()
    {
        var input = Console.OpenStandardInput();
        var output = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await RunAsync(input, output, stop.Token).ConfigureAwait(false);
    }

    /// <summary>The engine's progress as events: warnings and skipped entries at once, bytes once a second.</summary>
    private sealed class ReportingProgress(Func<EventMessage, Task> report) : IRestoreProgress
    {
        private readonly List<Task> _sent = [];
        private long _bytes;

        public void Planned(long files, long bytes) => Send(new EventMessage(WorkerEvents.Progress) { Files = files, Bytes = 0 });

        public void BytesWritten(long bytes) => Interlocked.Add(ref _bytes, bytes);

        public void Warning(string path, string message) => Send(new EventMessage(WorkerEvents.Warning) { Path = path, Message = message });

        public void Skipped(string path, string reason) => Send(new EventMessage(WorkerEvents.Skipped) { Path = path, Message = reason });

        public IDisposable Every(TimeSpan interval) =>
            new Timer(_ => Send(new EventMessage(WorkerEvents.Progress) { Bytes = Interlocked.Read(ref _bytes) }), null, interval, interval);

        public async Task FlushAsync()
        {
            Task[] sent;
            lock (_sent)
            {
                sent = [.. _sent];
                _sent.Clear();
            }

            await Task.WhenAll(sent).ConfigureAwait(false);
        }

        private void Send(EventMessage message)
        {
            var task = report(message);
            lock (_sent)
            {
                _sent.RemoveAll(t => t.IsCompleted);
                _sent.Add(task);
            }
        }
    }
}
