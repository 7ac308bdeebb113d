using System.CommandLine;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Maintenance.Tag;
using Cairn.Repository;

namespace Cairn.Cli.Commands;

internal static class TagCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("snapshot ID") { Description = "snapshots to change (IDs, prefixes or \"latest\"; default: all the filters let through)", Arity = ArgumentArity.ZeroOrMore };
        var set = new Option<string[]>("--set") { Description = "tags which replace the existing tags, as tag[,tag,...] (repeatable; '' removes all tags)" };
        var add = new Option<string[]>("--add") { Description = "tags to add to the existing tags, as tag[,tag,...] (repeatable)" };
        var remove = new Option<string[]>("--remove") { Description = "tags to remove from the existing tags, as tag[,tag,...] (repeatable)" };
        var filterOptions = new SnapshotFilterOptions();
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var command = new Command("tag", "Modify tags on snapshots: a changed snapshot is saved under a new ID (with \"original\" naming the first one) and the old file removed")
        {
            ids, set, add, remove, host, tag, path,
        };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            TagEdit edit;
            try
            {
                edit = TagEdit.Parse(result.GetValue(set) ?? [], result.GetValue(add) ?? [], result.GetValue(remove) ?? []);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            var filter = filterOptions.Read(result);
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            output.Line("create exclusive lock for repository");
            await using var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: true, ct);
            // Listed under the lock: what another process changed while we waited is seen.
            var all = await SnapshotFinder.ListAsync(repository, ct);
            var changed = 0;
            foreach (var (id, snapshot) in NamedOrFilteredSnapshots.Select(all, result.GetValue(ids) ?? [], filter, output.Warning))
            {
                if (await SnapshotTagger.RetagAsync(repository, id, snapshot, edit, ct) is not null)
                {
                    changed++;
                }
            }

            output.Line(changed == 0 ? "no snapshots were modified" : $"modified tags on {changed} snapshots");
            return ExitCodes.Success;
        });
        return command;
    }
}
