using System.Text.Json.Serialization;

namespace Cairn.Space.Plans;

/// <summary>
/// When a plan runs, in the plan's time zone. <see cref="Kind"/> says which other fields count: <c>hourly</c>
/// (<see cref="Minute"/>), <c>daily</c> (<see cref="Time"/>), <c>weekly</c> (<see cref="Weekday"/>, <see cref="Time"/>),
/// <c>monthly</c> (<see cref="DayOfMonth"/>, <see cref="Time"/>) or <c>cron</c> (<see cref="Cron"/>). Fields a kind
/// does not use are left out of its JSON, as the protocol shows it.
/// </summary>
public sealed record PlanSchedule(
    string? Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Minute = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Time = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Weekday = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DayOfMonth = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cron = null);

/// <summary>The hours (HH:MM to HH:MM, in the plan's time zone) in which a run may start; the end may be past midnight.</summary>
public sealed record PlanWindow(string? Start, string? End);

/// <summary>restic's <c>forget</c> policy, applied after every successful backup.</summary>
public sealed record PlanRetention(int KeepLast = 0, int KeepHourly = 0, int KeepDaily = 0, int KeepWeekly = 0, int KeepMonthly = 0,
    int KeepYearly = 0, string? KeepWithin = null, string[]? KeepTags = null);

/// <summary>When to prune and how much unused space to leave (restic's <c>--max-unused</c>).</summary>
public sealed record PlanPrune(PlanSchedule? Schedule, string? MaxUnused);
