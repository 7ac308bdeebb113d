using System.CommandLine;
using Cairn.Maintenance.Check;
using Cairn.Maintenance.Migrate;
using Cairn.Repository;

namespace Cairn.Cli.Commands;

/// <summary>restic's migrate: without names, lists the migrations this repository can take; with names, applies them.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force", "-f") { Description = "apply a migration a second time" };
        var names = new Argument<string[]>("migration name") { Description = "migrations to apply (none: list those available)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("migrate", "Apply migrations (upgrade_repo_v2: a version-1 repository becomes version 2)") { force, names };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            var wanted = result.GetValue(names) ?? [];
            if (wanted.Length == 0)
            {
                output.Result("available migrations:");
                var available = RepositoryMigrations.All.Where(m => m.WhyNotApplicable(repository) is null).ToList();
                foreach (var migration in available)
                {
                    output.Result($"  {migration.Name}\t{migration.Description}");
                }

                if (available.Count == 0)
                {
                    output.Result("no migrations found");
                }

                return ExitCodes.Success;
            }

            var migrations = wanted.Select(n => RepositoryMigrations.Find(n) ?? throw new UsageException($"migration {n} not found")).ToList();
            await using var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: true, ct);
            foreach (var migration in migrations)
            {
                if (migration.WhyNotApplicable(repository) is { } reason && !result.GetValue(force))
                {
                    throw new UsageException($"migration {migration.Name} cannot be applied: {reason}\nIf you want to apply this migration anyway, re-run with option --force");
                }

                if (migration.RunsCheckFirst)
                {
                    await CheckFirstAsync(repository, output, ct);
                }

                output.Line($"applying migration {migration.Name}...");
                var backupFolder = Directory.CreateTempSubdirectory($"cairn-migrate-{migration.Name}-").FullName;
                await migration.ApplyAsync(repository, backupFolder, ct);
                output.Line($"migration {migration.Name}: success");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>As restic does: a migration is applied only to a repository that checks clean.</summary>
    private static async Task CheckFirstAsync(ResticRepository repository, Output output, CancellationToken ct)
    {
        output.Line("checking repository integrity...");
        var report = await new Checker(repository, new CheckStages(output)).RunAsync(new CheckOptions(), ct);
        foreach (var error in report.Errors)
        {
            output.Warning("error: " + error);
        }

        if (report.HasErrors)
        {
            throw new UsageException("repository contains errors; run check and repair it before migrating");
        }
    }

    private sealed class CheckStages(Output output) : ICheckProgress
    {
        public void Stage(string message) => output.Line(message);
    }
}
