using System.Globalization;

namespace Cairn.Agent.Scheduling;

/// <summary>
/// A test hook (docs/agent-protocol.md, "Test clock"): the agent's "now" read from a file that holds an ISO-8601 UTC
/// instant. From that instant time runs on with the real clock until the file is written again; the file is looked at
/// every <see cref="PollInterval"/> and read again when its modification time changes, so a test moves a day in a
/// moment. Only "now" moves: timers (the scheduler's one-second look, back-offs, progress) wait real durations, and
/// repository locks and temporary-file sweeps stay on the real clock (their times are compared with other processes'
/// lock files and file modification times).
/// </summary>
public sealed class FileClock : TimeProvider, IDisposable
{
    /// <summary>The environment variable that names the clock file; unset on every real instance.</summary>
    public const string Variable = "CAIRN_AGENT_TEST_CLOCK";

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _path;
    private readonly TimeProvider _real;
    private readonly Action<string> _log;
    private readonly Lock _reading = new();
    private readonly ITimer _poll;
    private DateTime _seenWrite;
    private long _offsetTicks;

    /// <summary>Reads the file once (it must hold an instant), then follows it.</summary>
    public FileClock(string path, TimeProvider real, Action<string> log)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(log);
        _path = path;
        _real = real;
        _log = log;
        if (!TryReload())
        {
            throw new InvalidOperationException($"{Variable}: {path} cannot be read or does not hold an ISO-8601 instant");
        }

        _poll = real.CreateTimer(_ => TryReload(), null, PollInterval, PollInterval);
    }

    /// <summary>The clock <see cref="Variable"/> names, announced loudly, or null when it is not set.</summary>
    public static FileClock? FromEnvironment(Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path)
        {
            return null;
        }

        var clock = new FileClock(Path.GetFullPath(path), System, log);
        log($"WARNING: test clock in use: {Variable}={clock._path}, now {clock.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}; "
            + "schedules, snapshot times and retention follow that file, not this machine's clock");
        return clock;
    }

    public override DateTimeOffset GetUtcNow() => _real.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Dispose() => _poll.Dispose();

    private bool TryReload()
    {
        lock (_reading)
        {
            try
            {
                var written = File.GetLastWriteTimeUtc(_path);
                if (written == _seenWrite)
                {
                    return true;
                }

                // A file caught half written reads empty or cut short: it is read again at the next look.
                var text = File.ReadAllText(_path).Trim();
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
                {
                    return false;
                }

                Interlocked.Exchange(ref _offsetTicks, (instant - _real.GetUtcNow()).Ticks);
                var first = _seenWrite == default;
                _seenWrite = written;
                if (!first)
                {
                    _log($"test clock moved to {instant:yyyy-MM-ddTHH:mm:ss.fffZ}");
                }

                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
