using System.Text;
using Cairn.Testing.Processes;

namespace Cairn.Platform.Tests;

/// <summary>Runs real tools (stat, ls, getfattr, restic) through bash, with paths passed as exact bytes.</summary>
internal static class Shell
{
    /// <summary>Runs a bash script and returns its standard output as bytes; a non-zero exit fails with stderr.</summary>
    public static byte[] Run(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var start = ProgramStart.Of("/bin/bash", "-c", "set -euo pipefail\n" + script) with { Environment = variables };
        var result = Programs.RunAsync(start).GetAwaiter().GetResult();
        return result.ExitCode == 0
            ? result.StdoutBytes
            : throw new InvalidOperationException($"bash exited with {result.ExitCode}: {result.Stderr}\nscript:\n{script}");
    }

    public static string RunText(string script, IReadOnlyDictionary<string, string>? environment = null) =>
        Encoding.UTF8.GetString(Run(script, environment));

    /// <summary>A bash word that expands to exactly these bytes: $'\xNN...'.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        var word = new StringBuilder("$'", bytes.Length * 4 + 3);
        foreach (byte b in bytes)
        {
            word.Append($"\\x{b:x2}");
        }
        return word.Append('\'').ToString();
    }

    public static string Quote(RawPath path) => Quote(path.Bytes);

    public static List<byte[]> SplitOn(byte[] output, byte separator)
    {
        var parts = new List<byte[]>();
        var rest = output.AsSpan();
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf(separator);
            if (end < 0)
            {
                parts.Add(rest.ToArray());
                break;
            }
            parts.Add(rest[..end].ToArray());
            rest = rest[(end + 1)..];
        }
        return parts;
    }
}
