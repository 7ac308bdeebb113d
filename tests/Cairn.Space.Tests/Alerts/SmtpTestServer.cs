using Cairn.Testing.Processes;
using Cairn.Testing.Servers;
using Cairn.Testing.Trees;
using MimeKit;

namespace Cairn.Space.Tests.Alerts;

/// <summary>
/// A real SMTP server on a free loopback port: Debian's aiosmtpd (python3-aiosmtpd) with its Mailbox handler, which
/// writes every message it accepts into a Maildir folder that the tests read. Debian's python3 by path: a pyenv
/// python3 earlier on PATH has no aiosmtpd.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly RunningProgram _program;
    private readonly Scratch _folder;

    private SmtpTestServer(RunningProgram program, Scratch folder, int port)
    {
        _program = program;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpTestServer> StartAsync()
    {
        var folder = new Scratch("cairn-smtp-");
        var port = FreePort.Next();
        var program = RunningProgram.Start(ProgramStart.Of(Python,
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", folder.Combine("mail")]) with
        {
            Timeout = TimeSpan.FromMinutes(30),
        });
        var server = new SmtpTestServer(program, folder, port);
        try
        {
            await FreePort.WaitListeningAsync(port, () => program.HasExited, "aiosmtpd (is python3-aiosmtpd installed?)");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Every message received so far for <paramref name="recipient"/>, oldest first.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string recipient)
    {
        var inbox = _folder.Combine("mail", "new");
        if (!Directory.Exists(inbox))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(inbox).Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(m => m.Date)];
    }

    public async ValueTask DisposeAsync()
    {
        await _program.DisposeAsync();
        _folder.Dispose();
    }
}
