using System.Security.Cryptography;
using Cairn.Space.Accounts;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Identity;

namespace Cairn.Space.Accounts.SignIn;

/// <summary>
/// A hash of a random password, made once per process with the same hasher as real ones, so a sign-in for an
/// unknown email does the same work as one for a known email and its timing tells nothing.
/// </summary>
public sealed class DummyPasswordHash(IPasswordHasher<Account> hasher)
{
    private readonly Lazy<(Account Account, string Hash)> _dummy = new(() =>
    {
        var account = new Account(Guid.Empty, "nobody@invalid.example", DateTimeOffset.UnixEpoch);
        return (account, hasher.HashPassword(account, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    });

    public Account Account => _dummy.Value.Account;
    public string Hash => _dummy.Value.Hash;
}
