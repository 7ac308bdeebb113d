namespace Cairn.Agent.Tests.Infrastructure;

/// <summary>Waits for a condition that another thread makes true; the limit only keeps a broken test from hanging.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what, int limitSeconds = 60, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(limitSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"never: {what}" + (describe is null ? "" : "\n" + describe()));
            }

            await Task.Delay(20);
        }
    }
}
