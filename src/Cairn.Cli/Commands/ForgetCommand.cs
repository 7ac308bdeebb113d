using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Maintenance.Forget;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Json;

namespace Cairn.Cli.Commands;

internal static class ForgetCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("snapshot ID") { Description = "snapshots to forget (a policy is then ignored)", Arity = ArgumentArity.ZeroOrMore };
        var last = new Option<int>("--keep-last", "-l") { Description = "keep the last n snapshots" };
        var hourly = new Option<int>("--keep-hourly", "-H") { Description = "keep the last n hourly snapshots" };
        var daily = new Option<int>("--keep-daily", "-d") { Description = "keep the last n daily snapshots" };
        var weekly = new Option<int>("--keep-weekly", "-w") { Description = "keep the last n weekly snapshots" };
        var monthly = new Option<int>("--keep-monthly", "-m") { Description = "keep the last n monthly snapshots" };
        var yearly = new Option<int>("--keep-yearly", "-y") { Description = "keep the last n yearly snapshots" };
        var within = DurationOption("--keep-within", "keep snapshots newer than this span (e.g. 1y5m7d2h) before the newest snapshot");
        var withinHourly = DurationOption("--keep-within-hourly", "keep hourly snapshots within this span of the newest snapshot");
        var withinDaily = DurationOption("--keep-within-daily", "keep daily snapshots within this span of the newest snapshot");
        var withinWeekly = DurationOption("--keep-within-weekly", "keep weekly snapshots within this span of the newest snapshot");
        var withinMonthly = DurationOption("--keep-within-monthly", "keep monthly snapshots within this span of the newest snapshot");
        var withinYearly = DurationOption("--keep-within-yearly", "keep yearly snapshots within this span of the newest snapshot");
        var keepTag = new Option<string[]>("--keep-tag") { Description = "keep snapshots with all of these comma-separated tags (repeatable)" };
        var filterOptions = new SnapshotFilterOptions(hostAlias: false);
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var groupBy = new Option<string>("--group-by", "-g") { Description = "group snapshots by host, paths and/or tags, comma separated ('' for no grouping)", DefaultValueFactory = _ => "host,paths" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "do not delete anything, only show what would be done" };
        var prune = new Option<bool>("--prune") { Description = "run prune afterwards if snapshots were removed" };
        var command = new Command("forget", "Remove snapshots by ID or by a keep policy")
        {
            ids, last, hourly, daily, weekly, monthly, yearly, within, withinHourly, withinDaily, withinWeekly, withinMonthly, withinYearly,
            keepTag, host, tag, path, groupBy, dryRun, prune, PruneCommand.MaxUnused, PruneCommand.MaxRepackSize,
        };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var policy = new KeepPolicy
            {
                Last = result.GetValue(last),
                Hourly = result.GetValue(hourly),
                Daily = result.GetValue(daily),
                Weekly = result.GetValue(weekly),
                Monthly = result.GetValue(monthly),
                Yearly = result.GetValue(yearly),
                Within = Duration(result, within),
                WithinHourly = Duration(result, withinHourly),
                WithinDaily = Duration(result, withinDaily),
                WithinWeekly = Duration(result, withinWeekly),
                WithinMonthly = Duration(result, withinMonthly),
                WithinYearly = Duration(result, withinYearly),
                Tags = [.. (result.GetValue(keepTag) ?? []).Select(TagList.Parse)],
            };
            if (policy.Problem() is { } problem)
            {
                throw new UsageException(problem);
            }

            var filter = filterOptions.Read(result);
            GroupBy grouping;
            try
            {
                grouping = GroupByParser.Parse(result.GetValue(groupBy) ?? "host,paths");
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            var isDryRun = result.GetValue(dryRun);
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            await using var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: !isDryRun, ct);
            var snapshots = await SnapshotFinder.ListAsync(repository, ct);

            var explicitIds = result.GetValue(ids) ?? [];
            List<(Id Id, Snapshot Snapshot)> doomed;
            if (explicitIds.Length > 0)
            {
                doomed = Resolve(snapshots, explicitIds, output);
                if (output.Json)
                {
                    output.Out.WriteLine(new JsonObject { ["remove"] = new JsonArray([.. doomed.Select(s => (JsonNode)s.Id.ToString())]), ["dry_run"] = isDryRun }.ToJsonString());
                }
            }
            else if (policy.IsEmpty)
            {
                if (output.Json)
                {
                    output.Out.WriteLine("[]");
                }

                output.Line("no policy was specified, no snapshots will be removed");
                return ExitCodes.Success;
            }
            else
            {
                var decisions = ForgetPlanner.Plan(snapshots, filter, grouping, policy, repository.Options.Time.GetUtcNow());
                if (output.Json)
                {
                    output.Out.WriteLine(new JsonArray([.. decisions.Select(d => (JsonNode)GroupJson(d))]).ToJsonString());
                }
                else
                {
                    output.Line($"Applying Policy: {policy.Describe()}");
                    foreach (var decision in decisions)
                    {
                        PrintGroup(decision, output);
                    }
                }

                doomed = [.. decisions.SelectMany(d => d.Remove)];
            }

            if (isDryRun)
            {
                if (doomed.Count > 0)
                {
                    output.Line("Would have removed the following snapshots:");
                    output.Line("{" + string.Join(" ", doomed.Select(s => s.Id.Short).Order(StringComparer.Ordinal)) + "}");
                }

                return ExitCodes.Success;
            }

            await SnapshotRemover.RemoveAsync(repository, doomed.Select(s => s.Id), ct);
            output.Line($"removed {doomed.Count} snapshots");
            if (result.GetValue(prune) && doomed.Count > 0)
            {
                output.Line($"{doomed.Count} snapshots have been removed, running prune");
                if (repoLock is null)
                {
                    throw new UsageException("--prune needs the exclusive lock; it cannot run with --no-lock");
                }

                return await PruneCommand.RunAsync(repository, PruneCommand.Options(result), output, ct);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string?> DurationOption(string name, string description) => new(name) { Description = description };

    private static RetentionDuration Duration(ParseResult result, Option<string?> option)
    {
        var text = result.GetValue(option);
        if (text is null)
        {
            return default;
        }

        return RetentionDuration.TryParse(text, out var value, out var error)
            ? value
            : throw new UsageException($"invalid argument \"{text}\" for \"{option.Name}\": {error}");
    }

    /// <summary>Explicit IDs or prefixes; unknown or ambiguous ones are reported and skipped, as restic does.</summary>
    private static List<(Id Id, Snapshot Snapshot)> Resolve(List<(Id Id, Snapshot Snapshot)> snapshots, string[] prefixes, Output output)
    {
        var found = new List<(Id, Snapshot)>();
        foreach (var prefix in prefixes)
        {
            var matches = snapshots.Where(s => s.Id.HasPrefix(prefix)).ToList();
            if (matches.Count == 1)
            {
                if (!found.Contains(matches[0]))
                {
                    found.Add(matches[0]);
                }
            }
            else
            {
                output.Warning(matches.Count == 0
                    ? $"Ignoring \"{prefix}\": no matching ID found for prefix \"{prefix}\""
                    : $"Ignoring \"{prefix}\": prefix matches {matches.Count} snapshots");
            }
        }

        return found;
    }

    /// <summary>One group as restic 0.14 prints it: tags, host, paths, keep, remove (null when empty) and reasons.</summary>
    private static JsonObject GroupJson(GroupDecision decision) => new()
    {
        ["tags"] = StringArray(decision.Key.Tags),
        ["host"] = decision.Key.Host,
        ["paths"] = StringArray(decision.Key.Paths),
        ["keep"] = SnapshotArray(decision.Keep),
        ["remove"] = SnapshotArray(decision.Remove),
        ["reasons"] = new JsonArray([.. decision.Reasons.Select(r => (JsonNode)new JsonObject
        {
            ["snapshot"] = JsonSerializer.SerializeToNode(r.Snapshot, RepositoryJson.Context.Snapshot),
            ["matches"] = new JsonArray([.. r.Matches.Select(m => (JsonNode)m)]),
            ["counters"] = new JsonObject(r.Counters.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
        })]),
    };

    private static JsonArray? StringArray(IReadOnlyList<string>? values) =>
        values is null ? null : new JsonArray([.. values.Select(v => (JsonNode)v)]);

    private static JsonArray? SnapshotArray(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots) =>
        snapshots.Count == 0 ? null : new JsonArray([.. snapshots.Select(s => (JsonNode)SnapshotJson.Object(s.Id, s.Snapshot))]);

    private static void PrintGroup(GroupDecision decision, Output output)
    {
        var heading = decision.Key.ToString();
        if (heading.Length > 0)
        {
            output.Line($"snapshots for ({heading}):");
        }

        if (decision.Keep.Count > 0)
        {
            output.Line($"keep {decision.Keep.Count} snapshots:");
            var reasons = decision.Reasons.ToDictionary(r => r.Id, r => r.Matches);
            PrintTable(decision.Keep, reasons, output);
        }

        if (decision.Remove.Count > 0)
        {
            output.Line($"remove {decision.Remove.Count} snapshots:");
            PrintTable(decision.Remove, null, output);
        }
    }

    private static void PrintTable(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots, Dictionary<Id, IReadOnlyList<string>>? reasons, Output output)
    {
        var reasonWidth = reasons is null ? 0 : Math.Max(7, reasons.Values.SelectMany(r => r).Select(r => r.Length).DefaultIfEmpty(0).Max()) + 2;
        var header = $"{"ID",-9} {"Time",-19}  {"Host",-12} {"Tags",-12}{(reasons is null ? "" : "Reasons".PadRight(reasonWidth))}Paths";
        output.Line(header);
        output.Line(new string('-', header.Length + 20));
        foreach (var (id, snapshot) in snapshots.Reverse())
        {
            var lines = Math.Max(snapshot.Paths.Count, reasons?[id].Count ?? 0);
            for (var i = 0; i < Math.Max(lines, 1); i++)
            {
                var reason = reasons is null ? "" : (i < reasons[id].Count ? reasons[id][i] : "").PadRight(reasonWidth);
                var pathText = i < snapshot.Paths.Count ? snapshot.Paths[i] : "";
                output.Line((i == 0
                    ? $"{id.Short,-9} {snapshot.Time.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss}  {snapshot.Hostname,-12} {string.Join(",", snapshot.Tags ?? []),-12}{reason}{pathText}"
                    : $"{"",-9} {"",-19}  {"",-12} {"",-12}{reason}{pathText}").TrimEnd());
            }
        }

        output.Line(new string('-', header.Length + 20));
        output.Line($"{snapshots.Count} snapshots");
        output.Line("");
    }
}
