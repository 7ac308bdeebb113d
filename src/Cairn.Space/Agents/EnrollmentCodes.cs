using System.Security.Cryptography;
using Cairn.Space.Hosting;

namespace Cairn.Space.Agents;

/// <summary>
/// The shape of enrollment codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
/// <c>XXXX-XXXX</c>. Read back forgivingly (case, dash and spaces do not matter) and hashed in that normal form.
/// </summary>
public static class EnrollmentCodes
{
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int Length = 8;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public static string NewCode()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return $"{chars[..4]}-{chars[4..]}";
    }

    /// <summary>The hash kept for a code as typed, or null when it cannot be a code at all.</summary>
    public static string? HashOf(string? typed)
    {
        if (typed is null || typed.Length > 32)
        {
            return null;
        }

        var normal = new string([.. typed.ToUpperInvariant().Where(c => c is not ('-' or ' '))]);
        return normal.Length == Length && normal.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? Secrets.Hash(normal) : null;
    }
}
