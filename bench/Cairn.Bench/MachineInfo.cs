using System.Runtime.InteropServices;
using Cairn.Bench.Tools;

namespace Cairn.Bench;

/// <summary>The machine and program versions a result belongs to.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, long MemoryBytes, string Kernel, string Os, string DotNet, IReadOnlyDictionary<string, string> Tools, string CairnSource)
{
    public static async Task<MachineInfo> CollectAsync(ToolRunner runner, IEnumerable<IBackupTool> tools, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, string>();
        foreach (var tool in tools)
        {
            var output = await runner.RunAsync(tool.Version(), $"{tool.Name}-version", cancellationToken).ConfigureAwait(false);
            versions[tool.Name] = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
        }

        return new MachineInfo(
            ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Environment.ProcessorCount,
            long.TryParse(ProcField("/proc/meminfo", "MemTotal")?.Split(' ')[0], out var kb) ? kb * 1024 : 0,
            ReadOrEmpty("/proc/sys/kernel/osrelease"),
            ProcField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            versions,
            await CairnSourceAsync(runner, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The commit cairn was built from, marked when src/ had uncommitted changes; "unknown" outside a git checkout.</summary>
    private static async Task<string> CairnSourceAsync(ToolRunner runner, CancellationToken cancellationToken)
    {
        try
        {
            var root = Directory.GetCurrentDirectory();
            var commit = (await runner.RunAsync(new ToolCommand("git", ["-C", root, "rev-parse", "--short", "HEAD"]), "git-commit", cancellationToken).ConfigureAwait(false)).Trim();
            var changes = await runner.RunAsync(new ToolCommand("git", ["-C", root, "status", "--porcelain", "--", "src"]), "git-status", cancellationToken).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(changes) ? commit : commit + " with uncommitted changes in src/";
        }
        catch (Exception e) when (e is BenchmarkException or System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";

    private static string? ProcField(string path, string name, char separator = ':') =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Split(separator, 2)).Where(p => p.Length == 2 && p[0].Trim() == name).Select(p => p[1].Trim()).FirstOrDefault()
            : null;
}
