using System.Diagnostics;

namespace Cairn.Bench.Tools;

/// <summary>
/// Empties the kernel's page cache before each timed step (sync, then 3 into /proc/sys/vm/drop_caches) so every tool
/// starts cold. Needs root and a kernel that allows it; whether it worked is recorded with the results.
/// </summary>
internal sealed class PageCache(bool enabled)
{
    public int Dropped { get; private set; }

    public int Failed { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>"cold" when every drop worked, "warm" when none was attempted or none worked, "mixed" otherwise.</summary>
    public string State => !enabled || Dropped == 0 ? "warm" : Failed == 0 ? "cold" : "mixed";

    public void Drop()
    {
        if (!enabled)
        {
            return;
        }

        try
        {
            using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false }))
            {
                sync?.WaitForExit();
            }

            File.WriteAllText("/proc/sys/vm/drop_caches", "3\n");
            Dropped++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            Failed++;
            LastError = e.Message;
        }
    }
}
