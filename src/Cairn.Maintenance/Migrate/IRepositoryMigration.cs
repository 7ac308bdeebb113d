namespace Cairn.Maintenance.Migrate;

/// <summary>A named change to a repository's format, as restic's <c>migrate</c> lists and applies them.</summary>
public interface IRepositoryMigration
{
    /// <summary>The name the <c>migrate</c> command takes.</summary>
    string Name { get; }

    /// <summary>One line saying what the migration does.</summary>
    string Description { get; }

    /// <summary>Whether the repository is checked (as <c>check</c> does) before the migration is applied.</summary>
    bool RunsCheckFirst { get; }

    /// <summary>Null when the migration can be applied to this repository, else why not.</summary>
    string? WhyNotApplicable(ResticRepository repository);

    /// <summary>Applies it; the repository must be locked exclusively. <paramref name="backupFolder"/> holds what is replaced until it is replaced.</summary>
    Task ApplyAsync(ResticRepository repository, string backupFolder, CancellationToken cancellationToken);
}

/// <summary>The migrations this version knows, by name.</summary>
public static class RepositoryMigrations
{
    /// <summary>Every migration cairn knows.</summary>
    public static IReadOnlyList<IRepositoryMigration> All { get; } = [new UpgradeRepositoryV2()];

    /// <summary>The migration of this name, or null.</summary>
    public static IRepositoryMigration? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}

/// <summary>A migration could not be applied; the message says what state the repository was left in.</summary>
public sealed class MigrationFailedException(string message, Exception? inner = null) : Exception(message, inner);
