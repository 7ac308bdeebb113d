using System.Text.Json;

namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>How a program run ended: its exit code and everything it printed.</summary>
public sealed record ProgramResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Every non-empty line of standard output parsed as one JSON document.</summary>
    public List<JsonElement> JsonLines() =>
        [.. Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>The one JSON line whose message_type is <paramref name="type"/>.</summary>
    public JsonElement Message(string type) =>
        JsonLines().Single(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message_type", out var t) && t.GetString() == type);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>For assertion messages: the command and its output.</summary>
    public override string ToString() => $"`{Command}` exited with {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
