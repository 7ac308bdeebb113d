using Cairn.Space.CloudRestore.Ssh;
using Cairn.Space.CloudRestore.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace Cairn.Space.Tests.Cloud;

/// <summary>Where the ssh driver's cairn binary comes from, and what it says when there is none.</summary>
public sealed class CairnBinaryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-binary-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_setting_names_the_binary_relative_to_the_content_root_and_its_libzstd_beside_it_goes_too()
    {
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
        File.WriteAllText(Path.Combine(_root, "bin", "cairn"), "binary");
        File.WriteAllText(Path.Combine(_root, "bin", CairnBinary.ZstdLibrary), "library");

        var files = Binary("bin/cairn").Files();

        files.Select(f => (f.Name, f.Path)).Should().Equal(("cairn", Path.Combine(_root, "bin", "cairn")), ("libzstd.so", Path.Combine(_root, "bin", "libzstd.so")));
        files[0].Sha256.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("binary"u8)));
    }

    [Fact]
    public void A_missing_binary_or_library_is_named_with_the_way_to_make_it()
    {
        Binary("nowhere/cairn").Invoking(b => b.Files()).Should().Throw<CloudRestoreFailedException>()
            .WithMessage($"*{CairnBinary.SettingName} names {Path.Combine(_root, "nowhere", "cairn")}, which does not exist*");

        Directory.CreateDirectory(Path.Combine(_root, "artifacts", "cairn"));
        File.WriteAllText(Path.Combine(_root, "artifacts", "cairn", "cairn"), "binary");
        Binary(null).Invoking(b => b.Files()).Should().Throw<CloudRestoreFailedException>().WithMessage("*libzstd.so is missing*");
    }

    private CairnBinary Binary(string? setting) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [CairnBinary.SettingName] = setting }).Build(),
        new HostingEnvironment { ContentRootPath = _root });
}
