using System.CommandLine;
using Cairn.Cli;
using Cairn.Cli.Commands;
using Cairn.Restore.Worker;

// A hidden verb, not in help or completions: Space's ssh cloud driver runs it on a remote host, the password and the
// repository's bytes arriving as frames on standard input (Cairn.Restore.Worker).
if (RestoreWorker.IsInvokedAs(args))
{
    return await RestoreWorker.RunOnConsoleAsync();
}

var root = new RootCommand("cairn: encrypted, deduplicated backups in restic-compatible repositories");
GlobalOptions.AddTo(root);
CacheFlags.AddTo(root);
root.Subcommands.Add(InitCommand.Create());
root.Subcommands.Add(BackupCommand.Create());
root.Subcommands.Add(SnapshotsCommand.Create());
root.Subcommands.Add(TagCommand.Create());
root.Subcommands.Add(RewriteCommand.Create());
root.Subcommands.Add(RestoreCommand.Create());
root.Subcommands.Add(LsCommand.Create());
root.Subcommands.Add(CatCommand.Create());
root.Subcommands.Add(KeyCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(CopyCommand.Create());
root.Subcommands.Add(PruneCommand.Create());
root.Subcommands.Add(UnlockCommand.Create());
root.Subcommands.Add(RepairCommand.Create());
root.Subcommands.Add(ForgetCommand.Create());
root.Subcommands.Add(DiffCommand.Create());
root.Subcommands.Add(FindCommand.Create());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(DumpCommand.Create());
root.Subcommands.Add(ListCommand.Create());
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(MountCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(RecoverCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(CacheCommand.Create());
if (OperatingSystem.IsLinux())
{
    root.Subcommands.Add(AgentCommand.Create());
}

return await ParseErrorReporter.RunAsync(root, args);
