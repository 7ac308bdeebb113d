using System.Security.Cryptography;
using Cairn.Space.CloudRestore.Worker;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// The native <c>cairn</c> (and the <c>libzstd.so</c> beside it) that ssh providers' servers run their restores
/// with: <c>Space:CloudRestore:CairnBinary</c> when set (relative to the content root), else the published
/// <c>artifacts/cairn/cairn</c> of the checkout Space runs from (the content root or a folder above it), else a
/// <c>cairn</c> next to Space's assembly.
/// </summary>
public sealed class CairnBinary(IConfiguration configuration, IHostEnvironment environment)
{
    public const string SettingName = "Space:CloudRestore:CairnBinary";
    public const string ZstdLibrary = "libzstd.so";

    /// <summary>The binary and its library, each with its SHA-256 (hex), to upload where they differ.</summary>
    public IReadOnlyList<(string Name, string Path, string Sha256)> Files()
    {
        var cairn = Find();
        var zstd = Path.Combine(Path.GetDirectoryName(cairn)!, ZstdLibrary);
        if (!File.Exists(zstd))
        {
            throw new CloudRestoreFailedException($"{zstd} is missing: the cairn binary needs its {ZstdLibrary} beside it (dotnet publish puts it there)");
        }

        return [("cairn", cairn, Hash(cairn)), (ZstdLibrary, zstd, Hash(zstd))];
    }

    private string Find()
    {
        var configured = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(configured, environment.ContentRootPath);
            return File.Exists(path)
                ? path
                : throw new CloudRestoreFailedException($"{SettingName} names {path}, which does not exist; publish cairn there or fix the setting");
        }

        var looked = new List<string>();
        for (var folder = new DirectoryInfo(environment.ContentRootPath); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "artifacts", "cairn", "cairn");
            looked.Add(candidate);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "cairn");
        looked.Add(beside);
        return File.Exists(beside)
            ? beside
            : throw new CloudRestoreFailedException(
                $"no cairn binary for ssh restores: looked at {string.Join(", ", looked)}. Publish it (dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o artifacts/cairn) or set {SettingName}");
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
