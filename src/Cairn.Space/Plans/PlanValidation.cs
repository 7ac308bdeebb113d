using System.Text.RegularExpressions;
using Cronos;

namespace Cairn.Space.Plans;

/// <summary>
/// Checks a plan the owner sends and gives its definition with defaults filled in. Bad input throws
/// <see cref="DomainRuleException"/> (a 400) with one message that starts with the field's name.
/// </summary>
public static partial class PlanValidation
{
    public const int MaxNameLength = 100;
    public const int MaxPathLength = 4096;
    public const int MaxListLength = 1000;
    public const int MaxCommandLength = 4096;
    public const int DefaultHookTimeoutSeconds = 300;
    public const int MaxHookTimeoutSeconds = 86_400;

    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeOfDay();

    // restic's --keep-within: a duration such as 1y5m7d2h.
    [GeneratedRegex("^([0-9]+[ymdh])+$", RegexOptions.CultureInvariant)]
    private static partial Regex ResticDuration();

    // restic's --max-unused: unlimited, a percentage, or a size with an optional unit.
    [GeneratedRegex("^(unlimited|[0-9]+(\\.[0-9]+)?%|[0-9]+[kKmMgGtT]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex MaxUnused();

    public static PlanDefinition Validate(PlanRequest? request)
    {
        if (request is null)
        {
            throw Bad("body", "a plan is required");
        }

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            throw Bad("name", $"a plan's name is 1 to {MaxNameLength} characters");
        }

        if (!Names.IsValidTaskName(request.Task))
        {
            throw Bad("task", $"a task name is 1 to {Names.MaxTaskNameLength} characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        var paths = Strings("paths", request.Paths, MaxPathLength);
        if (paths.Count == 0)
        {
            throw Bad("paths", "at least one path to back up is required");
        }

        var excludes = Strings("excludes", request.Excludes, MaxPathLength);
        var hookTimeout = request.HookTimeoutSeconds ?? DefaultHookTimeoutSeconds;
        if (hookTimeout is < 1 or > MaxHookTimeoutSeconds)
        {
            throw Bad("hookTimeoutSeconds", $"must be 1 to {MaxHookTimeoutSeconds}");
        }

        var timeZone = string.IsNullOrEmpty(request.TimeZone) ? "UTC" : request.TimeZone;
        if (timeZone.Length > 100 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            throw Bad("timeZone", $"'{timeZone}' is not an IANA time zone (for example Europe/Berlin or UTC)");
        }

        if (request.UploadLimitKiBps is <= 0)
        {
            throw Bad("uploadLimitKiBps", "must be a positive number of KiB per second, or null for no limit");
        }

        return new PlanDefinition(
            name,
            request.Task!,
            paths,
            excludes,
            request.OneFileSystem ?? false,
            Command("preCommand", request.PreCommand),
            Command("postCommand", request.PostCommand),
            hookTimeout,
            request.HookFailureAborts ?? true,
            Schedule("schedule", request.Schedule),
            timeZone,
            Window(request.Window),
            request.UploadLimitKiBps,
            Retention(request.Retention ?? new PlanRetention()),
            Prune(request.Prune));
    }

    private static PlanSchedule Schedule(string field, PlanSchedule? schedule)
    {
        if (schedule is null)
        {
            throw Bad(field, "a schedule is required");
        }

        switch (schedule.Kind)
        {
            case "hourly":
                if (schedule.Minute is not (>= 0 and <= 59))
                {
                    throw Bad($"{field}.minute", "an hourly schedule needs a minute from 0 to 59");
                }

                return new PlanSchedule("hourly", Minute: schedule.Minute);
            case "daily":
                return new PlanSchedule("daily", Time: Time($"{field}.time", schedule.Time));
            case "weekly":
                var weekday = schedule.Weekday?.ToLowerInvariant();
                if (weekday is null || !Weekdays.Contains(weekday))
                {
                    throw Bad($"{field}.weekday", "a weekly schedule needs a weekday (sunday to saturday)");
                }

                return new PlanSchedule("weekly", Time: Time($"{field}.time", schedule.Time), Weekday: weekday);
            case "monthly":
                if (schedule.DayOfMonth is not (>= 1 and <= 31))
                {
                    throw Bad($"{field}.dayOfMonth", "a monthly schedule needs a day of the month from 1 to 31");
                }

                return new PlanSchedule("monthly", Time: Time($"{field}.time", schedule.Time), DayOfMonth: schedule.DayOfMonth);
            case "cron":
                return new PlanSchedule("cron", Cron: Cron($"{field}.cron", schedule.Cron));
            default:
                throw Bad($"{field}.kind", "must be hourly, daily, weekly, monthly or cron");
        }
    }

    private static string Cron(string field, string? expression)
    {
        var text = expression?.Trim();
        if (string.IsNullOrEmpty(text) || text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
        {
            throw Bad(field, "a cron expression has five fields: minute hour day-of-month month day-of-week");
        }

        try
        {
            CronExpression.Parse(text, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw Bad(field, $"'{text}' is not a cron expression: {e.Message}");
        }

        return text;
    }

    private static string Time(string field, string? time)
        => time is not null && TimeOfDay().IsMatch(time) ? time : throw Bad(field, "a time of day is HH:MM, 00:00 to 23:59");

    private static PlanWindow? Window(PlanWindow? window)
    {
        if (window is null)
        {
            return null;
        }

        var start = Time("window.start", window.Start);
        var end = Time("window.end", window.End);
        return start == end ? throw Bad("window.end", "a window's end differs from its start") : new PlanWindow(start, end);
    }

    private static PlanRetention Retention(PlanRetention retention)
    {
        (string Field, int Count)[] counts =
        [
            ("keepLast", retention.KeepLast), ("keepHourly", retention.KeepHourly), ("keepDaily", retention.KeepDaily),
            ("keepWeekly", retention.KeepWeekly), ("keepMonthly", retention.KeepMonthly), ("keepYearly", retention.KeepYearly),
        ];
        foreach (var (field, count) in counts)
        {
            if (count < 0)
            {
                throw Bad($"retention.{field}", "a count to keep is 0 or more");
            }
        }

        var within = string.IsNullOrEmpty(retention.KeepWithin) ? null : retention.KeepWithin;
        if (within is not null && !ResticDuration().IsMatch(within))
        {
            throw Bad("retention.keepWithin", "a duration as restic reads it, for example 7d or 1y6m");
        }

        return retention with { KeepWithin = within, KeepTags = [.. Strings("retention.keepTags", retention.KeepTags, 255)] };
    }

    private static PlanPrune? Prune(PlanPrune? prune)
    {
        if (prune is null)
        {
            return null;
        }

        var schedule = Schedule("prune.schedule", prune.Schedule);
        var maxUnused = string.IsNullOrEmpty(prune.MaxUnused) ? "5%" : prune.MaxUnused;
        return MaxUnused().IsMatch(maxUnused)
            ? new PlanPrune(schedule, maxUnused)
            : throw Bad("prune.maxUnused", "as restic reads it: a percentage (5%), a size (2G) or unlimited");
    }

    private static List<string> Strings(string field, string[]? values, int maxLength)
    {
        var list = values ?? [];
        if (list.Length > MaxListLength)
        {
            throw Bad(field, $"at most {MaxListLength} entries");
        }

        foreach (var value in list)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength || value.Contains('\0', StringComparison.Ordinal))
            {
                throw Bad(field, $"every entry is 1 to {maxLength} characters, not blank");
            }
        }

        return [.. list];
    }

    private static string? Command(string field, string? command)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        return command.Length > MaxCommandLength || command.Contains('\0', StringComparison.Ordinal)
            ? throw Bad(field, $"a command is at most {MaxCommandLength} characters")
            : command;
    }

    private static DomainRuleException Bad(string field, string message) => new($"{field}: {message}");
}
