using Cairn.Repository.Access;

namespace Cairn.Space.Backups.PasswordCheck;

/// <summary>
/// What checking a backup password may cost (section <c>Space:PasswordCheck</c>). A key file is the tenant's, so its
/// scrypt parameters are hostile input: each key tried is bounded, each check has a work budget over all the keys it
/// tries, and checks are limited at once per replica and per account (docs/operations.md, "Backup password checks").
/// </summary>
public sealed record PasswordCheckSettings
{
    public const string SectionName = "Space:PasswordCheck";

    /// <summary>Checks running at once on this replica (scrypt keeps one core busy each).</summary>
    public int AtOnce { get; init; } = 2;

    /// <summary>Checks waiting for a free slot; one more is answered 429.</summary>
    public int Queue { get; init; } = 16;

    /// <summary>Checks one account may start per <see cref="Window"/> on this replica (one at a time).</summary>
    public int PerAccount { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Key files read per check; restic repositories hold one or a few.</summary>
    public int MaxKeyFiles { get; init; } = 10;

    /// <summary>The most memory one key's scrypt may ask for (128·r·N bytes): restic's keys use 60 MiB at most.</summary>
    public long MaxKeyMemoryBytes { get; init; } = 256L << 20;

    /// <summary>The scrypt work (128·r·N·p bytes mixed) one check may spend over every key it tries.</summary>
    public long MaxWorkBytes { get; init; } = 1L << 30;

    public static PasswordCheckSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var defaults = new PasswordCheckSettings();
        var settings = new PasswordCheckSettings
        {
            AtOnce = section.GetValue("AtOnce", defaults.AtOnce),
            Queue = section.GetValue("Queue", defaults.Queue),
            PerAccount = section.GetValue("PerAccount", defaults.PerAccount),
            Window = section.GetValue("Window", defaults.Window),
            MaxKeyFiles = section.GetValue("MaxKeyFiles", defaults.MaxKeyFiles),
            MaxKeyMemoryBytes = section.GetValue("MaxKeyMemoryBytes", defaults.MaxKeyMemoryBytes),
            MaxWorkBytes = section.GetValue("MaxWorkBytes", defaults.MaxWorkBytes),
        };
        if (settings.AtOnce < 1 || settings.Queue < 0 || settings.PerAccount < 1 || settings.Window <= TimeSpan.Zero || settings.MaxKeyFiles < 1
            || settings.MaxKeyMemoryBytes < 1 << 20 || settings.MaxWorkBytes < settings.MaxKeyMemoryBytes
            || settings.MaxKeyMemoryBytes > KeyCandidate.MaxMemoryBytes)
        {
            throw new InvalidOperationException(
                $"{SectionName} needs AtOnce, PerAccount and MaxKeyFiles of at least 1, Queue >= 0, a positive Window, " +
                $"MaxKeyMemoryBytes between 1 MiB and {KeyCandidate.MaxMemoryBytes >> 20} MiB, and MaxWorkBytes >= MaxKeyMemoryBytes");
        }

        return settings;
    }
}
