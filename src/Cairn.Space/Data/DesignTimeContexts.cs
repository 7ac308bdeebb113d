using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cairn.Space.Data;

// For `dotnet ef migrations add NAME --context SqliteSpaceDbContext -o Data/Migrations/Sqlite` (and Postgres): the
// tools need a context without the host. Neither connects; adding a migration only compares models.

internal sealed class SqliteDesignTimeContext : IDesignTimeDbContextFactory<SqliteSpaceDbContext>
{
    public SqliteSpaceDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteSpaceDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeContext : IDesignTimeDbContextFactory<PostgresSpaceDbContext>
{
    public PostgresSpaceDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgresSpaceDbContext>().UseNpgsql("Host=localhost;Database=design-time").Options);
}
