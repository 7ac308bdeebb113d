using System.Globalization;
using Cairn.Space.Plans;

namespace Cairn.Space.Web.Plans;

/// <summary>The plan form's fields as posted (all text, so a typo reaches validation instead of failing to bind).</summary>
public sealed class PlanForm
{
    public string? Name { get; set; }
    public string? Task { get; set; }
    public string? Paths { get; set; }
    public string? Excludes { get; set; }
    public bool OneFileSystem { get; set; }
    public string? Kind { get; set; } = "daily";
    public string? Minute { get; set; } = "0";
    public string? Time { get; set; } = "02:30";
    public string? Weekday { get; set; } = "sunday";
    public string? DayOfMonth { get; set; } = "1";
    public string? Cron { get; set; }
    public string? TimeZone { get; set; }
    public string? KeepLast { get; set; } = "0";
    public string? KeepDaily { get; set; } = "7";
    public string? KeepWeekly { get; set; } = "4";
    public string? KeepMonthly { get; set; } = "12";
    public string? KeepYearly { get; set; } = "0";
    public string? PreCommand { get; set; }
    public string? PostCommand { get; set; }

    public static PlanForm From(BackupPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var s = plan.Schedule;
        var r = plan.Retention;
        return new PlanForm
        {
            Name = plan.Name, Task = plan.Task, Paths = string.Join('\n', plan.Paths), Excludes = string.Join('\n', plan.Excludes),
            OneFileSystem = plan.OneFileSystem, Kind = s.Kind, Minute = Text(s.Minute ?? 0), Time = s.Time ?? "02:30",
            Weekday = s.Weekday ?? "sunday", DayOfMonth = Text(s.DayOfMonth ?? 1), Cron = s.Cron, TimeZone = plan.TimeZone,
            KeepLast = Text(r.KeepLast), KeepDaily = Text(r.KeepDaily), KeepWeekly = Text(r.KeepWeekly),
            KeepMonthly = Text(r.KeepMonthly), KeepYearly = Text(r.KeepYearly), PreCommand = plan.PreCommand, PostCommand = plan.PostCommand,
        };
    }

    /// <summary>The request the API would get; what the form does not show is kept from <paramref name="existing"/>.</summary>
    public PlanRequest ToRequest(BackupPlan? existing)
    {
        var schedule = Kind switch
        {
            "hourly" => new PlanSchedule("hourly", Minute: Number("schedule.minute", Minute)),
            "weekly" => new PlanSchedule("weekly", Time: Time, Weekday: Weekday),
            "monthly" => new PlanSchedule("monthly", Time: Time, DayOfMonth: Number("schedule.dayOfMonth", DayOfMonth)),
            "cron" => new PlanSchedule("cron", Cron: Cron),
            _ => new PlanSchedule(Kind, Time: Time),
        };
        var kept = existing?.Retention ?? new PlanRetention();
        var retention = kept with
        {
            KeepLast = Number("retention.keepLast", KeepLast), KeepDaily = Number("retention.keepDaily", KeepDaily),
            KeepWeekly = Number("retention.keepWeekly", KeepWeekly), KeepMonthly = Number("retention.keepMonthly", KeepMonthly),
            KeepYearly = Number("retention.keepYearly", KeepYearly),
        };
        return new PlanRequest(Name, Task?.Trim(), Lines(Paths), Lines(Excludes), OneFileSystem, PreCommand, PostCommand,
            existing?.HookTimeoutSeconds, existing?.HookFailureAborts, schedule, TimeZone?.Trim(), existing?.Window,
            existing?.UploadLimitKiBps, retention, existing?.Prune, null);
    }

    private static string[] Lines(string? text)
        => (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Number(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DomainRuleException($"{field}: '{text.Trim()}' is not a whole number");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
