using System.Runtime.InteropServices;
using Cairn.Bench.Tools;

namespace Cairn.Bench;

/// <summary>The machine and program versions a result belongs to.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, long MemoryBytes, string Kernel, string Os, string DotNet, IReadOnlyDictionary<string, string> Tools)
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
            versions);
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";

    private static string? ProcField(string path, string name, char separator = ':') =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Split(separator, 2)).Where(p => p.Length == 2 && p[0].Trim() == name).Select(p => p[1].Trim()).FirstOrDefault()
            : null;
}
