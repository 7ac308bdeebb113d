using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Alerts;

/// <summary>A Space whose e-mail alerts go to a real SMTP server on loopback (started first: its port is an operator setting).</summary>
public abstract class AlertSpace(DatabaseKind database) : IAsyncLifetime
{
    private SmtpTestServer? _smtp;
    private SpaceFactory? _factory;

    public SmtpTestServer Smtp => _smtp ?? throw new InvalidOperationException("the fixture has not started");
    public SpaceFactory Factory => _factory ?? throw new InvalidOperationException("the fixture has not started");

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _factory = new SpaceFactory(database, kestrel: false, AlertSteps.SmtpSettings(_smtp));
        _factory.StartServer();
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class AlertSqliteSpace() : AlertSpace(DatabaseKind.Sqlite);

public sealed class AlertPostgresSpace() : AlertSpace(DatabaseKind.Postgres);
