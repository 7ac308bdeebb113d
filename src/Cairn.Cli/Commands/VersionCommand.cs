using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Cairn.Cli.Commands;

internal static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Command Create()
    {
        var command = new Command("version", "Print version information");
        CommandContext.SetAction(command, (result, output, _) =>
        {
            var os = RuntimeInformation.OSDescription.Contains("Linux", StringComparison.Ordinal) ? "linux" : RuntimeInformation.OSDescription;
            var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant() switch { "x64" => "amd64", var a => a };
            if (output.Json)
            {
                output.JsonLine(new VersionJson("version", Version, RuntimeInformation.FrameworkDescription, os, arch), CliJsonContext.Lines.VersionJson);
            }
            else
            {
                output.Result($"cairn {Version} compiled with {RuntimeInformation.FrameworkDescription} on {os}/{arch}");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}

/// <summary>version --json.</summary>
internal sealed record VersionJson(string MessageType, string Version, string Runtime, string Os, string Arch);
