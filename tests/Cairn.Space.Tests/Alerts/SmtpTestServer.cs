using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Cairn.Space.Tests.Alerts;

/// <summary>
/// A real SMTP server on a free loopback port: Debian's aiosmtpd (python3-aiosmtpd) with its Mailbox handler, which
/// writes every message it accepts into a Maildir folder that the tests read.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly Process _process;

    private SmtpTestServer(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }
    public string Folder { get; }

    public static async Task<SmtpTestServer> StartAsync()
    {
        var port = FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "cairn-smtp-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", folder },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new SmtpTestServer(process, port, folder);
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {process.ExitCode} (is python3-aiosmtpd installed?)");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("aiosmtpd did not listen within 10 seconds");
    }

    /// <summary>Every message received so far for <paramref name="recipient"/>.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string recipient)
    {
        var inbox = Path.Combine(Folder, "new");
        if (!Directory.Exists(inbox))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(inbox).Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(m => m.Date)];
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not a failure.
        }
    }
}
