using System.CommandLine;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Maintenance.Rewrite;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Cli.Commands;

internal static class RewriteCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("snapshot ID") { Description = "snapshots to rewrite (IDs, prefixes or \"latest\"; default: all the filters let through)", Arity = ArgumentArity.ZeroOrMore };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "exclude a pattern, as backup's --exclude (repeatable)" };
        var excludeFile = new Option<string[]>("--exclude-file") { Description = "read exclude patterns from a file (repeatable)" };
        var iexclude = new Option<string[]>("--iexclude") { Description = "like --exclude, ignoring the case of paths (repeatable)" };
        var iexcludeFile = new Option<string[]>("--iexclude-file") { Description = "like --exclude-file, ignoring the case of paths (repeatable)" };
        var forget = new Option<bool>("--forget") { Description = "remove the original snapshots after creating new ones (else the new ones get the tag 'rewrite')" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "do not do anything, just print what would be done" };
        var filterOptions = new SnapshotFilterOptions();
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var command = new Command("rewrite", "Rewrite snapshots to exclude unwanted files. The excluded files' data stays in the repository until \"prune\" removes what no snapshot references any more")
        {
            ids, exclude, excludeFile, iexclude, iexcludeFile, forget, dryRun, host, tag, path,
        };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var rules = new ExcludeRules(
                PatternArguments.Read(result.GetValue(exclude), result.GetValue(excludeFile)),
                PatternArguments.Read(result.GetValue(iexclude), result.GetValue(iexcludeFile)));
            if (rules.IsEmpty)
            {
                throw new UsageException("nothing to do: no excludes provided");
            }

            var filter = filterOptions.Read(result);
            var isDryRun = result.GetValue(dryRun);
            var isForget = result.GetValue(forget);
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            await using var repoLock = await LockAsync(result, repository, isForget && !isDryRun, output, ct);
            var all = await SnapshotFinder.ListAsync(repository, ct);
            var rewriter = new SnapshotRewriter(repository, rules, isDryRun);
            var modified = 0;
            foreach (var (id, snapshot) in NamedOrFilteredSnapshots.Select(all, result.GetValue(ids) ?? [], filter, output.Warning))
            {
                output.Line("");
                output.Line(Describe(id, snapshot));
                var outcome = await rewriter.RewriteAsync(id, snapshot, isForget, ct);
                foreach (var excluded in outcome.Excluded)
                {
                    output.Line($"excluding {excluded}");
                }

                if (!outcome.Modified)
                {
                    output.Line($"snapshot {id.Short} not modified");
                    continue;
                }

                modified++;
                if (outcome.NewId is { } newId)
                {
                    output.Line($"saved new snapshot {newId.Short}");
                    if (isForget)
                    {
                        output.Line($"removed old snapshot {id.Short}");
                    }
                }
                else
                {
                    output.Line("would save new snapshot");
                    if (isForget)
                    {
                        output.Line("would remove old snapshot");
                    }
                }
            }

            output.Line("");
            output.Line((modified, isDryRun) switch
            {
                (0, false) => "no snapshots were modified",
                (0, true) => "no snapshots would be modified",
                (_, false) => $"modified {modified} snapshots",
                (_, true) => $"would modify {modified} snapshots",
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// With --forget, snapshots are deleted: the exclusive lock. Otherwise only new data is added, as by backup: the
    /// shared lock. The index is read under the lock, so a prune that finished while we waited is seen.
    /// </summary>
    private static async Task<Cairn.Repository.RepositoryLock?> LockAsync(ParseResult result, Cairn.Repository.ResticRepository repository, bool exclusive, Output output, CancellationToken ct)
    {
        if (!exclusive)
        {
            return await CommandLock.AcquireAndLoadIndexAsync(result, repository, ct);
        }

        output.Line("create exclusive lock for repository");
        var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: true, ct);
        await repository.LoadIndexAsync(ct);
        return repoLock;
    }

    /// <summary>restic's line for a snapshot: short ID, paths, local time and user@host.</summary>
    private static string Describe(Id id, Snapshot snapshot)
    {
        var time = snapshot.Time.ToDateTimeOffset().ToLocalTime();
        var user = string.IsNullOrEmpty(snapshot.Username) ? "" : snapshot.Username + "@";
        return $"snapshot {id.Short} of [{string.Join(" ", snapshot.Paths)}] at {time:yyyy-MM-dd HH:mm:ss} by {user}{snapshot.Hostname}";
    }
}
