using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Alerts;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Tests.Plans;
using Microsoft.Extensions.Configuration;

namespace Cairn.Space.Tests.Alerts;

/// <summary>The operator's SMTP settings: each bad one stops the start with one message naming it; none at all is fine.</summary>
public sealed class AlertSettingsTests
{
    [Fact]
    public void No_smtp_settings_means_no_e_mail_and_no_error()
        => AlertSettings.From(Configuration([])).Smtp.Should().BeNull();

    [Fact]
    public void A_complete_smtp_setting_is_read_with_its_port_by_tls_mode()
    {
        var smtp = AlertSettings.From(Configuration(new() { ["Host"] = "smtp.example.org", ["From"] = "alerts@example.org", ["Tls"] = "TLS" })).Smtp!;
        smtp.Should().Be(new SmtpSettings("smtp.example.org", 465, "alerts@example.org", "tls", null, null));
        AlertSettings.From(Configuration(new() { ["Host"] = "h", ["From"] = "a@b.c" })).Smtp!.Port.Should().Be(587);
    }

    [Theory]
    [InlineData("", "a@b.c", "", "", "Space:Alerts:Smtp:Host is missing")]
    [InlineData("smtp.example.org", "", "", "", "Space:Alerts:Smtp:From must be the sender's e-mail address")]
    [InlineData("smtp.example.org", "not an address", "", "", "Space:Alerts:Smtp:From must be the sender's e-mail address")]
    [InlineData("smtp.example.org", "a@b.c", "ssl3", "", "Space:Alerts:Smtp:Tls must be one of starttls, tls, none, not 'ssl3'")]
    [InlineData("smtp.example.org", "a@b.c", "", "70000", "Space:Alerts:Smtp:Port must be 1 to 65535, not 70000")]
    public void A_bad_smtp_setting_is_one_clear_message(string host, string from, string tls, string port, string expected)
    {
        var values = new Dictionary<string, string?> { ["Host"] = host, ["From"] = from, ["Tls"] = tls, ["Port"] = port };
        var read = () => AlertSettings.From(Configuration(values.Where(v => v.Value!.Length > 0).ToDictionary()));
        read.Should().Throw<InvalidOperationException>().WithMessage(expected + "*");
    }

    [Fact]
    public async Task A_bad_smtp_setting_stops_the_real_Space_process_with_its_message()
    {
        var refused = await RefusedStart.RunAsync(new Dictionary<string, string?>
        {
            ["Space:Alerts:Smtp:Host"] = "smtp.example.org",
            ["Space:Alerts:Smtp:From"] = "nobody",
        });
        refused.ExitCode.Should().NotBe(0, "Space does not start on a bad setting");
        refused.Output.Should().Contain("Space:Alerts:Smtp:From must be the sender's e-mail address");
    }

    private static IConfiguration Configuration(Dictionary<string, string?> smtp)
        => new ConfigurationBuilder().AddInMemoryCollection(smtp.Select(p => KeyValuePair.Create("Space:Alerts:Smtp:" + p.Key, p.Value))).Build();
}

/// <summary>A Space without SMTP: e-mail channels are refused in plain words, webhooks and push still work.</summary>
public abstract class AlertsWithoutSmtpTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_e_mail_channel_is_refused_and_a_webhook_is_taken()
    {
        var owner = await SpaceClient.SignUpAsync(fixture.Factory);
        var refused = await owner.Api.PostAsJsonAsync("/api/v1/alerts/channels", new { kind = "email", address = owner.Email }, Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AgentClient.ProblemAsync(refused)).Should().Be(EmailSender.NotSetUp);
        (await owner.Api.GetFromJsonAsync<AlertSettingsResponse>("/api/v1/alerts/settings", Ct))!.EmailAvailable.Should().BeFalse();

        await using var hook = new WebhookReceiver();
        var channel = await owner.AddChannelAsync(new { kind = "webhook", url = hook.Url });
        (await owner.Api.GetFromJsonAsync<ChannelResponse[]>("/api/v1/alerts/channels", Ct)).Should().ContainSingle().Which.Id.Should().Be(channel.Id);
    }
}

public sealed class NoSmtpSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false);

public sealed class AlertsWithoutSmtpTestsOnSqlite(NoSmtpSqliteSpace fixture) : AlertsWithoutSmtpTests(fixture), IClassFixture<NoSmtpSqliteSpace>;
