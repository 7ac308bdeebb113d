using System.CommandLine;
using System.Globalization;
using Cairn.Maintenance.Copy;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Cli.Commands;

/// <summary>
/// <c>cairn -r DEST copy --from-repo SRC [ID...]</c>. With restic 0.13's deprecated spelling, <c>-r</c> is the source
/// and <c>--repo2</c> the destination, as restic 0.14 still reads it.
/// </summary>
internal static class CopyCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("snapshotID") { Description = "snapshots to copy: IDs, unique prefixes or latest (default: all that pass the filters)", Arity = ArgumentArity.ZeroOrMore };
        var filterOptions = new SnapshotFilterOptions(whenNoId: ", when no snapshot ID is given");
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var command = new Command("copy", "Copy snapshots from one repository to another (only data the destination lacks is read and written)") { ids, host, tag, path };
        var from = new SourceRepositoryOptions("to copy snapshots from");
        from.AddTo(command);
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var filter = filterOptions.Read(result);
            var legacy = from.UsesLegacy(result, output);
            var main = RepositoryAccess.MainRepository(result);
            var (sourceAccess, destinationAccess) = legacy
                ? (main with { Prompt = "enter password for source repository: " }, from.Legacy(result, "destination"))
                : (from.From(result), main);

            await using var destination = await RepositoryOpener.OpenAsync(result, destinationAccess, ct);
            // The source is read as every reader reads (its snapshots before its index); the destination is written to.
            await using var sourceSession = await RepositoryOpener.OpenReaderAsync(result, sourceAccess, SnapshotQuery.All, ct, output.UnreadableSnapshot);
            var source = sourceSession.Repository;
            await using var destinationLock = await CommandLock.AcquireAndLoadIndexAsync(result, destination, ct);

            var all = sourceSession.Snapshots;
            var selected = NamedOrFilteredSnapshots.Select(all, result.GetValue(ids) ?? [], filter, output.Warning);
            await new SnapshotCopier(source, destination, new CopyPrinter(output)).CopyAsync(selected, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>restic's lines for each snapshot: what it is, then skipped, or copied and saved.</summary>
    private sealed class CopyPrinter(Output output) : ICopyProgress
    {
        private readonly System.Diagnostics.Stopwatch _clock = new();
        private int _packs, _packsCopied;

        public void UnreadableDestinationSnapshot(Id id, CorruptedDataException error) => output.UnreadableSnapshot(id, error);

        public void SnapshotStarting(Id id, Snapshot snapshot)
        {
            output.Line("");
            output.Line($"snapshot {id.Short} of [{string.Join(" ", snapshot.Paths)}] at {GoTime(snapshot.Time)} by {snapshot.Username}@{snapshot.Hostname}");
        }

        public void AlreadyCopied(Id id, Id copy) => output.Line($"skipping snapshot {id.Short}, was already copied to snapshot {copy.Short}");

        public void CopyStarted(Id id)
        {
            output.Line("  copy started, this may take a while...");
            _packs = _packsCopied = 0;
            _clock.Restart();
        }

        public void PacksPlanned(int packs) => _packs = packs;

        public void PackCopied() => Interlocked.Increment(ref _packsCopied);

        public void SnapshotSaved(Id id, Id copy, CopiedBlobs blobs)
        {
            var elapsed = _clock.Elapsed;
            var time = elapsed.TotalHours >= 1 ? $"{(int)elapsed.TotalHours}:{elapsed:mm\\:ss}" : $"{(int)elapsed.TotalMinutes}:{elapsed:ss}";
            output.Line(_packs > 0
                ? $"[{time}] {100.0 * _packsCopied / _packs,6:0.00}%  {_packsCopied} / {_packs} packs copied"
                : $"[{time}] {"",7}  {_packsCopied} packs copied");
            output.Line("");
            output.Line($"snapshot {copy.Short} saved");
        }

        /// <summary>A time as Go prints it (restic's wording): nanoseconds without trailing zeros, then offset and zone.</summary>
        private static string GoTime(NodeTime time)
        {
            var local = time.ToDateTimeOffset();
            var fraction = time.Nanoseconds == 0 ? "" : "." + time.Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
            var offset = local.Offset;
            var sign = offset < TimeSpan.Zero ? '-' : '+';
            var numeric = $"{sign}{Math.Abs(offset.Hours):D2}{Math.Abs(offset.Minutes):D2}";
            return $"{local:yyyy-MM-dd HH:mm:ss}{fraction} {numeric} {(offset == TimeSpan.Zero ? "UTC" : numeric)}";
        }
    }
}
