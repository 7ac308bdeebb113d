using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cairn.Space.Data;

/// <summary>Space's records in SQLite, the embedded single-process default; migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteSpaceDbContext(DbContextOptions<SqliteSpaceDbContext> options) : SpaceDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no date type; stored as a UTC tick count it still sorts and compares in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
