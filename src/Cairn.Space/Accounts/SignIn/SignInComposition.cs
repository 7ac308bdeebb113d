
namespace Cairn.Space.Accounts.SignIn;

/// <summary>The services of sign-in hardening and account limits.</summary>
public static class SignInComposition
{
    public static IServiceCollection AddSpaceSignIn(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => SignInSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => AccountLimits.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<DummyPasswordHash>();
        services.AddScoped<SignInService>();
        services.AddScoped<TwoFactorService>();
        services.AddScoped<SignUpQuota>();
        return services;
    }
}
