using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Data;

/// <summary>
/// Space's records in PostgreSQL, the coordinator of a Space with several replicas (timestamptz keeps every value,
/// all of them UTC); migrations in Data/Migrations/Postgres.
/// </summary>
public sealed class PostgresSpaceDbContext(DbContextOptions<PostgresSpaceDbContext> options) : SpaceDbContext(options);
