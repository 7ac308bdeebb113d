using System.Diagnostics;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Restore.Worker;
using Cairn.Storage;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>
/// cairn's hidden <c>restore-worker</c> verb is the restore side of Space's cloud restore (its ssh driver runs it on
/// a remote server): it is in no help text, takes the password only from the start frame on standard input, reads
/// the repository through the frames its parent answers, restores into its working directory and reports.
/// </summary>
public sealed class RestoreWorkerVerbTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-restore-worker-");

    public void Dispose() => _workspace.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_verb_is_hidden_and_without_a_start_frame_ends_with_exit_code_1()
    {
        (await CairnCli.RunAsync(new Dictionary<string, string>(), ["--help"])).Stdout.Should().NotContain(RestoreWorker.Verb);

        var run = await CairnCli.RunAsync(new Dictionary<string, string>(), [RestoreWorker.Verb], standardInput: "");

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("expected the start frame on standard input");
        run.Stdout.Should().BeEmpty("the protocol's output stream carries frames only");
    }

    [Fact]
    public async Task Fed_the_password_in_the_start_frame_it_restores_and_verifies_the_snapshot_into_its_working_directory()
    {
        var (source, files) = _workspace.BuildSample(seed: 16, small: true);
        await _workspace.InitAsync();
        await _workspace.BackUpAsync(source.ToString());
        var target = _workspace.Scratch.Combine("disk");
        Directory.CreateDirectory(target);

        var (exit, events) = await RunWorkerAsync(target, _workspace.Cairn.Password);

        exit.Should().Be(0);
        events.Select(e => e.Type).Should().Contain(WorkerEvents.Opened).And.EndWith(WorkerEvents.Verified);
        var verified = events[^1];
        verified.Files.Should().Be(files);
        verified.Bytes.Should().BeGreaterThan(0);
        File.ReadAllBytes(Path.Combine(Workspace.Restored(target, source).ToString(), "small.txt"))
            .Should().Equal(File.ReadAllBytes(Path.Combine(source.ToString(), "small.txt")));
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_such_with_exit_code_2_and_nothing_restored()
    {
        var (source, _) = _workspace.BuildSample(seed: 17, small: true);
        await _workspace.InitAsync();
        await _workspace.BackUpAsync(source.ToString());
        var target = _workspace.Scratch.Combine("disk");
        Directory.CreateDirectory(target);

        var (exit, events) = await RunWorkerAsync(target, "not the password");

        exit.Should().Be(2);
        events.Select(e => e.Type).Should().Equal(WorkerEvents.WrongPassword);
        Directory.EnumerateFileSystemEntries(target).Should().BeEmpty();
    }

    /// <summary>Plays Space's part: the start frame, then every call answered from the repository folder, until the worker ends.</summary>
    private async Task<(int ExitCode, List<EventMessage> Events)> RunWorkerAsync(string workingDirectory, string password)
    {
        var start = new ProcessStartInfo(CairnCli.Program)
        {
            WorkingDirectory = workingDirectory, UseShellExecute = false,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in CairnCli.Arguments([RestoreWorker.Verb]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await using var store = new LocalObjectStore(_workspace.Repository);
        var toChild = process.StandardInput.BaseStream;
        await WorkerFrame.Of(FrameType.Start, 0, new StartMessage("latest", password, 2)).WriteAsync(toChild, Ct);
        var events = new List<EventMessage>();
        while (await WorkerFrame.ReadAsync(process.StandardOutput.BaseStream, Ct) is { } frame)
        {
            if (frame.Type == FrameType.Event)
            {
                events.Add(frame.ReadHeader<EventMessage>());
                continue;
            }

            var (reply, data) = await AnswerAsync(store, frame.ReadHeader<CallMessage>(), frame.Data);
            await WorkerFrame.Of(FrameType.Reply, frame.CallId, reply, data).WriteAsync(toChild, Ct);
        }

        await process.WaitForExitAsync(Ct);
        _ = await stderr;
        return (process.ExitCode, events.Where(e => e.Type is not (WorkerEvents.Progress or WorkerEvents.Warning or WorkerEvents.Skipped)).ToList());
    }

    private static async Task<(ReplyMessage, ReadOnlyMemory<byte>)> AnswerAsync(IObjectStore store, CallMessage call, ReadOnlyMemory<byte> data)
    {
        ObjectKinds.TryParseFolderName(call.Kind, out var kind).Should().BeTrue();
        try
        {
            switch (call.Op)
            {
                case StoreOps.List:
                    var listed = new List<ListedObject>();
                    await foreach (var info in store.ListAsync(kind, Ct))
                    {
                        listed.Add(new ListedObject(info.Name.Name, info.Size));
                    }

                    return (new ReplyMessage(Objects: listed), default);
                case StoreOps.Stat:
                    return (new ReplyMessage(Size: (await store.StatAsync(new ObjectName(kind, call.Name!), Ct)).Size), default);
                case StoreOps.Read:
                    var bytes = new byte[call.Length];
                    await store.ReadAtAsync(new ObjectName(kind, call.Name!), call.Offset, bytes, Ct);
                    return (new ReplyMessage(), bytes);
                case StoreOps.Save:
                    await store.SaveAsync(new ObjectName(kind, call.Name!), ObjectContent.FromMemory(data.ToArray()), Ct);
                    return (new ReplyMessage(), default);
                case StoreOps.Delete:
                    await store.DeleteAsync(new ObjectName(kind, call.Name!), Ct);
                    return (new ReplyMessage(), default);
                default:
                    return (new ReplyMessage(StoreErrors.Refused, "unknown operation"), default);
            }
        }
        catch (ObjectNotFoundException e)
        {
            return (new ReplyMessage(StoreErrors.NotFound, e.Message), default);
        }
    }
}
