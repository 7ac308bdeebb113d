using System.Security.Cryptography;
using System.Text;
using Cairn.Space.Backups;
using Cairn.Space.Usage;

namespace Cairn.Space.Hosting;

/// <summary>
/// Random tokens and secrets, and the one-way hash kept for them. They carry 256 random bits, so a plain SHA-256
/// is as safe as a slow password hash and cheap enough to check on every restic request.
/// </summary>
public static class Secrets
{
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A username that says what it is and carries no secret: <c>c-</c> and 16 hex digits.</summary>
    public static string NewUsername() => "c-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    public static bool Matches(string secret, string expectedHash)
    {
        ArgumentNullException.ThrowIfNull(expectedHash);
        var actual = Encoding.ASCII.GetBytes(Hash(secret));
        var expected = Encoding.ASCII.GetBytes(expectedHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
