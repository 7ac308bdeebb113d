using System.CommandLine;
using Cairn.Repository.Format;

namespace Cairn.Cli;

/// <summary>Options every command takes, named as restic names them.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Repo = new("--repo", "-r")
    {
        Description = "repository to back up to or restore from (default: $CAIRN_REPOSITORY or $RESTIC_REPOSITORY)",
        Recursive = true,
    };

    public static readonly Option<string?> RepositoryFile = new("--repository-file")
    {
        Description = "file whose first line is the repository location (default: $CAIRN_REPOSITORY_FILE or $RESTIC_REPOSITORY_FILE)",
        Recursive = true,
    };

    public static readonly Option<string?> KeyHint = new("--key-hint")
    {
        Description = "key ID to try first when opening the repository (default: $CAIRN_KEY_HINT or $RESTIC_KEY_HINT)",
        Recursive = true,
    };

    public static readonly Option<string?> PasswordFile = new("--password-file", "-p")
    {
        Description = "file to read the repository password from (default: $CAIRN_PASSWORD_FILE or $RESTIC_PASSWORD_FILE)",
        Recursive = true,
    };

    public static readonly Option<string?> PasswordCommand = new("--password-command")
    {
        Description = "shell command whose output is the password (default: $CAIRN_PASSWORD_COMMAND or $RESTIC_PASSWORD_COMMAND)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "print one JSON object per line instead of text",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "print nothing but results and errors",
        Recursive = true,
    };

    public static readonly Option<string?> Compression = new("--compression")
    {
        Description = "compression mode for new data: auto, off, fastest, better or max (default: $CAIRN_COMPRESSION or $RESTIC_COMPRESSION, else auto)",
        Recursive = true,
    };

    public static readonly Option<bool> NoLock = new("--no-lock")
    {
        Description = "do not lock the repository (only for reading commands)",
        Recursive = true,
    };

    public static readonly Option<string?> RetryLock = new("--retry-lock")
    {
        Description = "retry to lock the repository for this long if it is locked, e.g. 30s, 5m, 1h (default: fail at once)",
        Recursive = true,
    };

    public static readonly Option<int?> LimitUpload = new("--limit-upload")
    {
        Description = "limits uploads to a maximum rate in KiB/s (default: unlimited)",
        Recursive = true,
    };

    public static readonly Option<int?> LimitDownload = new("--limit-download")
    {
        Description = "limits downloads to a maximum rate in KiB/s (default: unlimited)",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(LimitUpload);
        root.Options.Add(LimitDownload);
        root.Options.Add(RetryLock);
        root.Options.Add(Repo);
        root.Options.Add(RepositoryFile);
        root.Options.Add(KeyHint);
        root.Options.Add(PasswordFile);
        root.Options.Add(PasswordCommand);
        root.Options.Add(Json);
        root.Options.Add(Quiet);
        root.Options.Add(Compression);
        root.Options.Add(NoLock);
    }

    public static TimeSpan RetryLockDuration(ParseResult result)
    {
        var text = result.GetValue(RetryLock);
        if (string.IsNullOrEmpty(text))
        {
            return TimeSpan.Zero;
        }

        var unit = text[^1];
        if (double.TryParse(text[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            switch (unit)
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
            }
        }

        throw new UsageException($"invalid --retry-lock duration \"{text}\": use e.g. 30s, 5m or 1h");
    }

    /// <summary>A --limit-upload or --limit-download rate in bytes per second; null when unset or 0 (restic's "unlimited").</summary>
    public static long? RateLimit(ParseResult result, Option<int?> option) => result.GetValue(option) switch
    {
        null or 0 => null,
        < 0 => throw new UsageException($"{option.Name} must be a rate in KiB/s, 0 or more"),
        { } kib => kib * 1024L,
    };

    public static CompressionMode CompressionMode(ParseResult result)
    {
        var text = result.GetValue(Compression) ?? Env.Get("COMPRESSION");
        return CompressionModes.TryParse(text, out var mode)
            ? mode
            : throw new UsageException($"invalid compression mode \"{text}\": use auto, off, fastest, better or max");
    }
}

/// <summary>Environment variables: Cairn's own name first, restic's accepted as well.</summary>
internal static class Env
{
    public static string? Get(string suffix) =>
        NonEmpty(Environment.GetEnvironmentVariable("CAIRN_" + suffix)) ?? NonEmpty(Environment.GetEnvironmentVariable("RESTIC_" + suffix));

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
