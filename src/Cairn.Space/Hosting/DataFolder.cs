using Microsoft.Data.Sqlite;

namespace Cairn.Space.Hosting;

/// <summary>
/// The data folder is Space's alone: created (or tightened) to 0700, and a new SQLite database file created 0600
/// before SQLite opens it (SQLite gives its -wal and -shm files the database file's mode).
/// </summary>
public static class DataFolder
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Prepare(SpaceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(settings.DataPath);
            Directory.CreateDirectory(settings.RepositoriesPath);
            return;
        }

        Directory.CreateDirectory(settings.DataPath, FolderMode);
        File.SetUnixFileMode(settings.DataPath, FolderMode);
        Directory.CreateDirectory(settings.RepositoriesPath, FolderMode);
        if (settings.PostgresConnectionString is null
            && new SqliteConnectionStringBuilder(settings.SqliteConnectionString).DataSource is { Length: > 0 } file
            && file != ":memory:" && !File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!, FolderMode);
            using var created = new FileStream(file, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
    }
}
