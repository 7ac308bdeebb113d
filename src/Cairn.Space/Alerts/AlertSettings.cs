using MailKit.Security;
using MimeKit;

namespace Cairn.Space.Alerts;

/// <summary>
/// The operator's alert settings (<c>Space:Alerts</c>): how often rules are evaluated, and the SMTP server e-mail
/// alerts go through (<c>Space:Alerts:Smtp</c>). Without an SMTP host, e-mail channels are refused and the other
/// channels work. Read and checked at start: a bad value stops Space with one message naming it.
/// </summary>
public sealed record AlertSettings
{
    public TimeSpan EvaluateInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether the alert monitor runs (tests switch it off and run its work by hand).</summary>
    public bool MonitorEnabled { get; init; } = true;

    public SmtpSettings? Smtp { get; init; }

    public static AlertSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Space:Alerts");
        var settings = new AlertSettings
        {
            EvaluateInterval = section.GetValue("EvaluateInterval", TimeSpan.FromMinutes(1)),
            MonitorEnabled = section.GetValue("MonitorEnabled", true),
            Smtp = SmtpSettings.Read(section.GetSection("Smtp")),
        };
        if (settings.EvaluateInterval <= TimeSpan.Zero || settings.EvaluateInterval > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException("Space:Alerts:EvaluateInterval must be above zero and at most one hour");
        }

        return settings;
    }
}

/// <summary>The SMTP server for e-mail alerts. <see cref="Tls"/>: <c>starttls</c> (default, port 587), <c>tls</c> (port 465) or <c>none</c> (port 25).</summary>
public sealed record SmtpSettings(string Host, int Port, string From, string Tls, string? Username, string? Password)
{
    public static readonly string[] TlsModes = ["starttls", "tls", "none"];

    public SecureSocketOptions SocketOptions => Tls switch
    {
        "tls" => SecureSocketOptions.SslOnConnect,
        "none" => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    public static SmtpSettings? Read(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var host = Value(section["Host"]);
        if (host is null)
        {
            return section.GetChildren().Any(c => Value(c.Value) is not null)
                ? throw new InvalidOperationException("Space:Alerts:Smtp:Host is missing: set it (and From) to send e-mail alerts, or remove the other Smtp settings")
                : null;
        }

        var tls = (Value(section["Tls"]) ?? "starttls").ToLowerInvariant();
        if (!TlsModes.Contains(tls, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Space:Alerts:Smtp:Tls must be one of {string.Join(", ", TlsModes)}, not '{section["Tls"]}'");
        }

        var defaultPort = tls switch { "tls" => 465, "none" => 25, _ => 587 };
        var port = section.GetValue("Port", defaultPort);
        if (port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Space:Alerts:Smtp:Port must be 1 to 65535, not {port}");
        }

        var from = Value(section["From"]);
        if (from is null || !MailboxAddress.TryParse(from, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Space:Alerts:Smtp:From must be the sender's e-mail address (for example \"Cairn Space <alerts@example.org>\")");
        }

        var username = Value(section["Username"]);
        var password = Value(section["Password"]);
        if ((username is null) != (password is null))
        {
            throw new InvalidOperationException("Space:Alerts:Smtp:Username and Password are set together or not at all");
        }

        return new SmtpSettings(host, port, from, tls, username, password);
    }

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
