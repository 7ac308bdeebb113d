namespace Cairn.Testing.Processes;

/// <summary>How to start a program a test runs: what, with which environment, for how long at most.</summary>
public sealed record ProgramStart(string File, IReadOnlyList<string> Arguments)
{
    /// <summary>Long enough for any single command of the suite on a loaded 2-core machine; never infinite.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Variables to set (a null value removes one the environment would pass on).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Whether the program sees only PATH, a scratch HOME, LANG=C.UTF-8 and <see cref="Environment"/>, so nothing of
    /// the developer's or CI's own settings (RESTIC_REPOSITORY, CAIRN_PASSWORD, ...) leaks into a test.
    /// </summary>
    public bool Isolated { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Written to standard input, which is then closed; null closes it at once.</summary>
    public byte[]? StandardInput { get; init; }

    /// <summary>The whole life of the program: past it, it is killed and waiting for it throws <see cref="TimeoutException"/>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>A file that receives every line of both output streams as it comes (for servers and long runs).</summary>
    public string? LogPath { get; init; }

    public static ProgramStart Of(string file, params IEnumerable<string> arguments) => new(file, [.. arguments]);

    /// <summary>The command line, for failure messages.</summary>
    public string CommandLine => string.Join(' ', [File, .. Arguments]);
}
