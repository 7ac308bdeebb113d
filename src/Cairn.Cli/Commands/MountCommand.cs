using System.CommandLine;
using Cairn.Maintenance.Forget;
using Cairn.Platform.Fuse;
using Cairn.Repository;
using Cairn.Restore;
using Cairn.Restore.Browse;

namespace Cairn.Cli.Commands;

internal static class MountCommand
{
    public static Command Create()
    {
        var mountpoint = new Argument<string>("mountpoint") { Description = "an existing, empty folder to mount the repository on" };
        var allowOther = new Option<bool>("--allow-other") { Description = "allow other users to access the data in the mounted directory" };
        var noDefaultPermissions = new Option<bool>("--no-default-permissions") { Description = "for 'allow-other', ignore Unix permissions and allow users to read all snapshot files" };
        var ownerRoot = new Option<bool>("--owner-root") { Description = "use 'root' as the owner of files and dirs" };
        var filterOptions = new SnapshotFilterOptions();
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var command = new Command(
            "mount",
            "Mount the repository read-only (FUSE): snapshots/<time> with a latest link, hosts/<host>/<time>, tags/<tag>/<time>, ids/<short id>. "
            + "Ends on Ctrl-C, SIGTERM, or umount/fusermount3 -u of the mountpoint, leaving nothing mounted")
        {
            mountpoint, allowOther, noDefaultPermissions, ownerRoot, host, tag, path,
        };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var point = Path.GetFullPath(result.GetValue(mountpoint)!);
            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.All, ct);
            var repository = session.Repository;
            var filter = filterOptions.Read(result);
            var snapshots = session.Snapshots.Where(s => filter.Matches(s.Snapshot)).ToList();
            var (uid, gid) = FuseMount.MountingUser;
            var fileSystem = new SnapshotFileSystem(
                SnapshotFolders.Build(snapshots),
                new RepositoryRestoreSource(repository),
                new SnapshotFileSystemOptions { Uid = uid, Gid = gid, OwnerRoot = result.GetValue(ownerRoot) });

            FuseMount mount;
            try
            {
                mount = FuseMount.Mount(point, fileSystem, new FuseMountOptions
                {
                    AllowOther = result.GetValue(allowOther),
                    DefaultPermissions = !(result.GetValue(allowOther) && result.GetValue(noDefaultPermissions)),
                });
            }
            catch (FuseUnavailableException e)
            {
                throw new UsageException($"unable to mount: {e.Message}");
            }

            using (mount)
            {
                output.Line("Now serving the repository at " + point);
                output.Line("Use another terminal or tool to browse the contents of this folder.");
                output.Line("When finished, quit with Ctrl-c here or umount the mountpoint.");
                output.Out.Flush();

                // libfuse serves on a thread of its own; Ctrl-C or SIGTERM unmounts, which ends the loop.
                var served = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                var loop = new Thread(() =>
                {
                    try
                    {
                        served.SetResult(mount.Run());
                    }
                    catch (Exception e)
                    {
                        served.SetException(e);
                    }
                }) { IsBackground = true, Name = "fuse" };
                loop.Start();
                await using (ct.Register(mount.RequestUnmount))
                {
                    var code = await served.Task.ConfigureAwait(false);
                    if (code != 0)
                    {
                        throw new IOException($"serving the mount at {point} failed (libfuse returned {code})");
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
