using Cairn.Agent.Protocol;

namespace Cairn.Agent.Tests.Infrastructure;

internal static class Plans
{
    public static PlanDocument Daily(string time, string timeZone = "UTC", string? id = null, string task = "photos") => new()
    {
        Id = id ?? Guid.NewGuid().ToString("D"),
        Name = "test plan",
        Task = task,
        Paths = ["/tmp"],
        Schedule = new ScheduleDocument { Kind = "daily", Time = time },
        TimeZone = timeZone,
    };

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
