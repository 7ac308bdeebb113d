using System.Text;
using System.Text.Json;

namespace Cairn.Testing.Processes;

/// <summary>How a program ended: its exit code and everything it printed (standard output byte for byte).</summary>
public sealed record ProgramResult(string Command, int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    /// <summary>Both streams, standard output first, for messages and searches that do not care which.</summary>
    public string Output => Stdout + Stderr;

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// This result, or an exception that shows the command, both outputs and <paramref name="note"/> (what reproduces
    /// the run, such as a seed) when it did not exit 0.
    /// </summary>
    public ProgramResult EnsureSuccess(string? note = null) =>
        ExitCode == 0 ? this : throw new InvalidOperationException(note is null ? ToString() : $"{this}\n({note})");

    /// <summary>Every non-empty line of standard output parsed as one JSON document.</summary>
    public List<JsonElement> JsonLines() =>
        [.. Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>The one JSON line whose message_type is <paramref name="type"/>.</summary>
    public JsonElement Message(string type) =>
        JsonLines().Single(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message_type", out var t) && t.GetString() == type);

    /// <summary>For assertion messages: the command and its output.</summary>
    public override string ToString() => $"`{Command}` exited with {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
