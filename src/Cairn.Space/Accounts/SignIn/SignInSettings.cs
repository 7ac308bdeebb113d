using Microsoft.Extensions.Configuration;

namespace Cairn.Space.Accounts.SignIn;

/// <summary>
/// How hard guessing is made (section <c>Space:SignIn</c>): the per-process rate limits on sign-in and sign-up, per
/// client address and per email, and the lockout kept on the account in the database.
/// </summary>
public sealed record SignInSettings
{
    /// <summary>Attempts one client address may make per <see cref="Window"/> (sign-in and sign-up counted apart).</summary>
    public int PermitsPerClient { get; init; } = 20;

    /// <summary>Attempts for one email per <see cref="Window"/>, from anywhere.</summary>
    public int PermitsPerAccount { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    public int LockoutThreshold { get; init; } = 5;

    /// <summary>The first lock; every further failure doubles it, up to <see cref="LockoutMax"/>.</summary>
    public TimeSpan LockoutBase { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan LockoutMax { get; init; } = TimeSpan.FromDays(1);

    public static SignInSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Space:SignIn");
        var settings = new SignInSettings
        {
            PermitsPerClient = section.GetValue("PermitsPerClient", 20),
            PermitsPerAccount = section.GetValue("PermitsPerAccount", 10),
            Window = section.GetValue("Window", TimeSpan.FromMinutes(1)),
            LockoutThreshold = section.GetValue("LockoutThreshold", 5),
            LockoutBase = section.GetValue("LockoutBase", TimeSpan.FromMinutes(1)),
            LockoutMax = section.GetValue("LockoutMax", TimeSpan.FromDays(1)),
        };
        if (settings.PermitsPerClient < 1 || settings.PermitsPerAccount < 1 || settings.LockoutThreshold < 1
            || settings.Window <= TimeSpan.Zero || settings.LockoutBase <= TimeSpan.Zero || settings.LockoutMax < settings.LockoutBase)
        {
            throw new InvalidOperationException(
                "Space:SignIn needs PermitsPerClient, PermitsPerAccount and LockoutThreshold of at least 1, a positive Window and LockoutBase, and LockoutMax >= LockoutBase");
        }

        return settings;
    }

    /// <summary>How long the account is locked after <paramref name="failures"/> failures in a row (none below the threshold).</summary>
    public TimeSpan LockoutFor(int failures)
    {
        if (failures < LockoutThreshold)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - LockoutThreshold, 30);
        var ticks = Math.Min((double)LockoutBase.Ticks * Math.Pow(2, doublings), LockoutMax.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>What one account and one address may hold or do (section <c>Space:Limits</c>).</summary>
public sealed record AccountLimits
{
    public const int DefaultInstancesPerAccount = 5;

    /// <summary>Instances an account may hold at once, unless the operator set its own limit.</summary>
    public int InstancesPerAccount { get; init; } = DefaultInstancesPerAccount;

    /// <summary>Accounts one client address may create per UTC day (counted in the database).</summary>
    public int SignUpsPerClientPerDay { get; init; } = 10;

    public static AccountLimits From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Space:Limits");
        var limits = new AccountLimits
        {
            InstancesPerAccount = section.GetValue("InstancesPerAccount", DefaultInstancesPerAccount),
            SignUpsPerClientPerDay = section.GetValue("SignUpsPerClientPerDay", 10),
        };
        if (limits.InstancesPerAccount < 0 || limits.SignUpsPerClientPerDay < 0)
        {
            throw new InvalidOperationException("Space:Limits:InstancesPerAccount and SignUpsPerClientPerDay must be >= 0");
        }

        return limits;
    }
}
