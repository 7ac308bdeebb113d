using System.CommandLine;
using System.Globalization;
using Cairn.Backup;
using Cairn.Platform;
using Cairn.Repository.Filtering;

namespace Cairn.Cli.Commands;

/// <summary>Turning backup's flags into what the engine takes: paths, the filter, the snapshot time.</summary>
internal static partial class BackupCommand
{
    private static List<string> Patterns(ParseResult result, Option<string[]> patterns, Option<string[]> files)
        => PatternArguments.Read(result.GetValue(patterns), result.GetValue(files));

    /// <summary>The paths to back up: the arguments, then what each --files-from* file lists, in that order.</summary>
    private static List<RawPath> Targets(ParseResult result, Output output)
    {
        var targets = new List<RawPath>((result.GetValue(PathsArgument) ?? []).Select(RawPath.FromString));
        var lists = (result.GetValue(FilesFrom) ?? []).Select(f => (f, SourceListFormat.Patterns))
            .Concat((result.GetValue(FilesFromVerbatim) ?? []).Select(f => (f, SourceListFormat.Verbatim)))
            .Concat((result.GetValue(FilesFromRaw) ?? []).Select(f => (f, SourceListFormat.Raw)));
        foreach (var (file, format) in lists)
        {
            byte[] content;
            try
            {
                content = file == "-" ? ReadStandardInput() : File.ReadAllBytes(file);
            }
            catch (IOException e)
            {
                throw new UsageException($"cannot read {file}: {e.Message}");
            }

            targets.AddRange(SourceList.Read(content, format, pattern => output.Warning($"pattern \"{pattern}\" does not match any files, skipping")));
        }

        if (targets.Count == 0)
        {
            throw new UsageException("nothing to backup, please specify source files/dirs");
        }

        return targets;
    }

    private static byte[] ReadStandardInput()
    {
        using var stdin = Console.OpenStandardInput();
        using var copy = new MemoryStream();
        stdin.CopyTo(copy);
        return copy.ToArray();
    }

    private static SourceFilter Filter(ParseResult result, List<string> excludes, List<RawPath> targets)
    {
        var tagFiles = new List<TagFileRule>();
        if (result.GetValue(ExcludeCaches))
        {
            tagFiles.Add(TagFileRule.CacheDirectory);
        }

        foreach (var spec in result.GetValue(ExcludeIfPresent) ?? [])
        {
            try
            {
                tagFiles.Add(TagFileRule.Parse(spec));
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"invalid --exclude-if-present \"{spec}\": {e.Message}");
            }
        }

        IEnumerable<ulong>? devices = null;
        if (result.GetValue(OneFileSystem))
        {
            try
            {
                devices = SourceFilter.DevicesOf(targets, Directory.GetCurrentDirectory()).ToList();
            }
            catch (IOException e)
            {
                throw new UsageException(e.Message);
            }
        }

        return new SourceFilter(
            new PathPatternSet(excludes),
            new PathPatternSet(Patterns(result, IExclude, IExcludeFile), ignoreCase: true),
            tagFiles,
            SizeArgument.Parse(result.GetValue(ExcludeLargerThan), ExcludeLargerThan.Name),
            devices);
    }

    /// <summary>restic's size syntax: a number of bytes, or with k, m, g or t (either case) for KiB, MiB, GiB, TiB.</summary>
    /// <summary>--time in restic's layout, local time; null when not given.</summary>
    private static DateTimeOffset? SnapshotTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new UsageException($"invalid --time \"{text}\": use the form \"2006-01-02 15:04:05\"");
        }

        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
    }

    private static string StreamFileName(ParseResult result)
    {
        if ((result.GetValue(FilesFrom)?.Length ?? 0) + (result.GetValue(FilesFromVerbatim)?.Length ?? 0) + (result.GetValue(FilesFromRaw)?.Length ?? 0) > 0)
        {
            throw new UsageException("--stdin and --files-from cannot be used together");
        }

        if (result.GetValue(Stdin) && result.GetValue(StdinFromCommand))
        {
            throw new UsageException("--stdin and --stdin-from-command cannot be used together");
        }

        if (result.GetValue(Stdin) && (result.GetValue(PathsArgument)?.Length ?? 0) > 0)
        {
            throw new UsageException("--stdin was specified and files/dirs were listed as arguments");
        }

        if (result.GetValue(Stdin) && Env.Get("PASSWORD") is null && (result.GetValue(GlobalOptions.PasswordFile) ?? Env.Get("PASSWORD_FILE")) is null
            && (result.GetValue(GlobalOptions.PasswordCommand) ?? Env.Get("PASSWORD_COMMAND")) is null)
        {
            throw new UsageException("cannot read both password and data from stdin: give the password by --password-file, --password-command or $CAIRN_PASSWORD");
        }

        var name = result.GetValue(StdinFilename) ?? "stdin";
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new UsageException($"invalid --stdin-filename \"{name}\": give a file name without \"/\"");
        }

        return name;
    }
}
