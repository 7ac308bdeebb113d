using System.CommandLine;
using Cairn.Cli;
using Cairn.Cli.Commands;

var root = new RootCommand("cairn: encrypted, deduplicated backups in restic-compatible repositories");
GlobalOptions.AddTo(root);
root.Subcommands.Add(InitCommand.Create());
root.Subcommands.Add(BackupCommand.Create());
root.Subcommands.Add(SnapshotsCommand.Create());
root.Subcommands.Add(RestoreCommand.Create());
root.Subcommands.Add(LsCommand.Create());
root.Subcommands.Add(CatCommand.Create());
root.Subcommands.Add(KeyCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(PruneCommand.Create());
root.Subcommands.Add(UnlockCommand.Create());
root.Subcommands.Add(RepairCommand.Create());
root.Subcommands.Add(VersionCommand.Create());
return await root.Parse(args).InvokeAsync();
