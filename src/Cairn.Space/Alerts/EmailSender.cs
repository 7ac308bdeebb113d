using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Cairn.Space.Alerts;

/// <summary>Sends an alert as a plain-text e-mail through the operator's SMTP server (<see cref="SmtpSettings"/>).</summary>
public sealed class EmailSender(AlertSettings settings)
{
    public const string NotSetUp = "e-mail alerts are not set up on this Space (the operator has not configured an SMTP server); use a webhook or push channel";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public async Task SendAsync(string recipient, AlertMessage alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var smtp = settings.Smtp ?? throw new AlertDeliveryException(NotSetUp);
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = "[Cairn Space] " + alert.Title;
        message.Date = alert.Time;
        message.Body = new TextPart("plain")
        {
            Text = $"{alert.Message}\n\nState: {alert.State}\nTime: {alert.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\n" +
                   (alert.Instance is null ? "" : $"Instance: {alert.Instance}\n") + (alert.Plan is null ? "" : $"Plan: {alert.Plan}\n"),
        };

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var where = $"{smtp.Host}:{smtp.Port}";
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.SocketOptions, cancellationToken).ConfigureAwait(false);
            if (smtp is { Username: { } user, Password: { } password })
            {
                await client.AuthenticateAsync(user, password, cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new AlertDeliveryException($"could not reach the SMTP server {where}: {e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            throw new AlertDeliveryException($"the SMTP server {where} refused Space's sign-in: {e.Message}", e);
        }
        catch (SmtpCommandException e)
        {
            throw new AlertDeliveryException($"the SMTP server {where} refused the message: {e.Message}", e);
        }
        catch (Exception e) when (e is SmtpProtocolException or SslHandshakeException or IOException or TimeoutException or ServiceNotConnectedException)
        {
            throw new AlertDeliveryException($"sending through the SMTP server {where} failed: {e.Message}", e);
        }
    }
}
