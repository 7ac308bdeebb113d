using System.Diagnostics;
using System.Text;

namespace Cairn.Platform.Tests;

/// <summary>Runs real tools (stat, ls, getfattr, restic) through bash, with paths passed as exact bytes.</summary>
internal static class Shell
{
    /// <summary>Runs a bash script and returns its standard output as bytes; a non-zero exit fails with stderr.</summary>
    public static byte[] Run(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -euo pipefail\n" + script);
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        copy.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bash exited with {process.ExitCode}: {error.GetAwaiter().GetResult()}\nscript:\n{script}");
        }
        return output.ToArray();
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
