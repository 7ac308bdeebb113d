using Cairn.Space.CloudRestore.Worker;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Cairn.Space.Tests.Cloud;

/// <summary>Space:Cloud's restore settings: no read limit unless one is set, and a limit that is not a rate refused at start.</summary>
public sealed class CloudRestoreSettingsTests
{
    private static CloudRestoreSettings From(params (string Key, string Value)[] values)
        => CloudRestoreSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(v => "Space:Cloud:" + v.Key, v => (string?)v.Value)).Build());

    [Fact]
    public void Unset_there_is_no_read_limit_and_no_named_user()
    {
        var settings = From();
        settings.ReadBytesPerSecond.Should().BeNull();
        settings.RestoreUser.Should().BeNull();
    }

    [Fact]
    public void A_read_limit_is_bytes_per_second()
        => From(("RestoreReadLimit", " 20000000 ")).ReadBytesPerSecond.Should().Be(20_000_000);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("20MB")]
    [InlineData("1.5")]
    public void A_read_limit_that_is_not_a_positive_whole_number_is_refused(string value)
    {
        var read = () => From(("RestoreReadLimit", value));
        read.Should().Throw<InvalidOperationException>().WithMessage($"Space:Cloud:RestoreReadLimit must be a whole number*not '{value}'");
    }

    [Fact]
    public async Task A_bad_read_limit_stops_the_real_Space_process_with_its_message()
    {
        var refused = await RefusedStart.RunAsync(new Dictionary<string, string?> { ["Space:Cloud:RestoreReadLimit"] = "fast" });
        refused.ExitCode.Should().NotBe(0, "Space does not start on a bad setting");
        refused.Output.Should().Contain("Space:Cloud:RestoreReadLimit must be a whole number of bytes per second");
    }
}
