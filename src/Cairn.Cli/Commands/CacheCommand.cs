using System.CommandLine;
using Cairn.Repository.Cache;

namespace Cairn.Cli.Commands;

/// <summary>restic's cache: lists the local cache folders (one per repository) with age and size, or removes the old ones.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var cleanup = new Option<bool>("--cleanup") { Description = "remove old cache directories" };
        var maxAge = new Option<int>("--max-age") { Description = "max age in days for cache directories to be considered old", DefaultValueFactory = _ => 30, HelpName = "days" };
        var noSize = new Option<bool>("--no-size") { Description = "do not output the size of the cache directories" };
        var command = new Command("cache", "Operate on local cache directories (--cache-dir, else $XDG_CACHE_HOME/cairn or ~/.cache/cairn)") { cleanup, maxAge, noSize };
        CommandContext.SetAction(command, (result, output, _) =>
        {
            var days = result.GetValue(maxAge);
            if (days < 0)
            {
                throw new UsageException("--max-age must not be negative");
            }

            var folders = new CacheFolders(CacheFlags.Root(result));
            var age = TimeSpan.FromDays(days);
            if (result.GetValue(cleanup))
            {
                var removed = folders.RemoveOld(age);
                output.Line(removed.Count == 0
                    ? "no old cache dirs found"
                    : $"removed {removed.Count} old cache dirs from {folders.Root}");
                return Task.FromResult(ExitCodes.Success);
            }

            Print(folders.List(age, withSize: !result.GetValue(noSize)), folders.Root, output);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static void Print(IReadOnlyList<CacheFolder> list, string root, Output output)
    {
        if (list.Count == 0)
        {
            output.Result("no cache dirs found");
            return;
        }

        var now = DateTimeOffset.UtcNow;
        const string Rule = "----------------------------------------";
        output.Result($"{"Repo ID",-10}  {"Last Used",-10}  {"Old",-3}  {"Size",10}");
        output.Result(Rule);
        foreach (var folder in list)
        {
            var days = (int)(now - folder.LastUsed).TotalDays;
            var size = folder.Size is { } bytes ? Output.Bytes(bytes) : "";
            output.Result($"{folder.RepositoryId[..10],-10}  {days + " days ago",-10}  {(folder.IsOld ? "yes" : ""),-3}  {size,10}");
        }

        output.Result(Rule);
        output.Result($"{list.Count} cache dirs in {root}");
    }
}
