using Cairn.Storage;

namespace Cairn.Storage.Tests;

public sealed class ObjectNameTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(ObjectKind.Pack, Hex64, true)]
    [InlineData(ObjectKind.Pack, "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData(ObjectKind.Pack, "../../etc/passwd", false)]
    [InlineData(ObjectKind.Snapshot, "abc", false)]
    [InlineData(ObjectKind.Config, "config", true)]
    [InlineData(ObjectKind.Config, Hex64, false)]
    [InlineData(ObjectKind.Key, "", false)]
    public void Names_are_only_64_lowercase_hex_or_config(ObjectKind kind, string name, bool valid)
    {
        ObjectName.IsValid(kind, name).Should().Be(valid);
        var create = () => new ObjectName(kind, name);
        if (valid)
        {
            create.Should().NotThrow();
        }
        else
        {
            create.Should().Throw<ArgumentException>();
        }
    }

    [Fact]
    public void Folder_names_round_trip_for_every_kind()
    {
        foreach (var kind in ObjectKinds.All)
        {
            ObjectKinds.TryParseFolderName(kind.FolderName(), out var parsed).Should().BeTrue();
            parsed.Should().Be(kind);
        }

        ObjectKinds.TryParseFolderName("tmp", out _).Should().BeFalse();
    }
}
