using Cairn.Space.CloudRestore;

namespace Cairn.Space.Tests.Cloud;

/// <summary>An ssh provider's server is checked when the catalog loads, and every problem is named.</summary>
public sealed class SshCatalogTests
{
    private const string HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFm7d0Xq5yWb1Rk5cQm1Gx1tq7x3sQyV7a3CqQx6Y9bG";

    [Fact]
    public void A_complete_ssh_section_loads_with_port_22_by_default_and_a_known_hosts_line_is_accepted_too()
    {
        var catalog = Load(Provider("ssh", $$"""{ "host": "vps.example.net", "user": "cairn", "targetFolder": "/srv/cairn", "hostKey": "{{HostKey}}" }"""));
        var target = catalog.Providers.Single().Ssh!;
        (target.Host, target.EffectivePort, target.User, target.TargetFolder).Should().Be(("vps.example.net", 22, "cairn", "/srv/cairn"));
        target.HostKeyTypeAndKey.Should().Be(HostKey);

        var line = Load(Provider("ssh", $$"""{ "host": "10.0.0.5", "port": 2222, "user": "u", "targetFolder": "/home/u/restores", "hostKey": "[10.0.0.5]:2222 {{HostKey}} comment" }"""));
        line.Providers.Single().Ssh!.HostKeyTypeAndKey.Should().Be(HostKey);
    }

    [Theory]
    [InlineData("", "{ \"host\": \"h\" }", "ssh.user")]
    [InlineData("", "{ \"host\": \"-oProxyCommand=x\", \"user\": \"u\", \"targetFolder\": \"/srv\", \"hostKey\": \"" + HostKey + "\" }", "ssh.host")]
    [InlineData("", "{ \"host\": \"h\", \"user\": \"u\", \"targetFolder\": \"/srv/../etc\", \"hostKey\": \"" + HostKey + "\" }", "ssh.targetFolder")]
    [InlineData("", "{ \"host\": \"h\", \"user\": \"u\", \"targetFolder\": \"srv\", \"hostKey\": \"" + HostKey + "\" }", "ssh.targetFolder")]
    [InlineData("", "{ \"host\": \"h\", \"user\": \"u\", \"targetFolder\": \"/srv/a b\", \"hostKey\": \"" + HostKey + "\" }", "ssh.targetFolder")]
    [InlineData("", "{ \"host\": \"h\", \"user\": \"u\", \"targetFolder\": \"/srv\", \"hostKey\": \"ssh-ed25519 not-base64!\" }", "ssh.hostKey")]
    [InlineData("", "{ \"host\": \"h\", \"port\": 70000, \"user\": \"u\", \"targetFolder\": \"/srv\", \"hostKey\": \"" + HostKey + "\" }", "ssh.port")]
    [InlineData("", "null", "an \\\"ssh\\\" section")]
    public void A_bad_ssh_section_is_refused_naming_the_field(string _, string ssh, string named)
    {
        var load = () => Load(Provider("ssh", ssh));
        load.Should().Throw<InvalidOperationException>().WithMessage($"*provider 'mine' (driver ssh)*{named.Replace("\\\"", "\"", StringComparison.Ordinal)}*");
    }

    [Fact]
    public void An_ssh_section_on_another_driver_is_refused()
    {
        var load = () => Load(Provider("local", $$"""{ "host": "h", "user": "u", "targetFolder": "/srv", "hostKey": "{{HostKey}}" }"""));
        load.Should().Throw<InvalidOperationException>().WithMessage("*for driver \"ssh\" only*");
    }

    private static string Provider(string driver, string ssh) => CatalogText.OneProvider(driver, $"\"ssh\": {ssh}");

    private static CloudCatalog Load(string json) => CatalogText.Load(json);
}
