using System.Data.Common;
using System.Globalization;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Accounts.SignIn;

/// <summary>
/// Accounts per client address per UTC day, counted in the database by one conditional upsert (both SQLite and
/// PostgreSQL speak <c>INSERT ... ON CONFLICT ... DO UPDATE ... WHERE ... RETURNING</c>), so N replicas share the count.
/// </summary>
public sealed class SignUpQuota(SpaceDbContext db, AccountLimits limits, TimeProvider clock)
{
    private const string Upsert = """
        INSERT INTO "SignUpCounters" ("Client", "Day", "Count") VALUES (@client, @day, 1)
        ON CONFLICT ("Client", "Day") DO UPDATE SET "Count" = "SignUpCounters"."Count" + 1
        WHERE "SignUpCounters"."Count" < @limit
        RETURNING "Count"
        """;

    /// <summary>Counts one sign-up for <paramref name="client"/>, or throws <see cref="TooManyRequestsException"/> past the day's limit.</summary>
    public async Task TakeAsync(string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = clock.GetUtcNow();
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var untilTomorrow = now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;
        if (limits.SignUpsPerClientPerDay == 0 || await IncrementAsync(client, day, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new TooManyRequestsException(
                $"at most {limits.SignUpsPerClientPerDay} accounts can be created from one address per day; try again tomorrow (UTC)", untilTomorrow);
        }

        // Yesterday's counts are kept a day for anyone looking; older ones are of no use.
        var old = now.UtcDateTime.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await db.SignUpCounters.Where(c => string.Compare(c.Day, old) < 0).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int?> IncrementAsync(string client, string day, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Upsert;
            Add(command, "@client", client.Length > 64 ? client[..64] : client);
            Add(command, "@day", day);
            Add(command, "@limit", limits.SignUpsPerClientPerDay);
            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return result is null or DBNull ? null : Convert.ToInt32(result, CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
