using System.Collections.Frozen;
using System.Reflection;
using Cairn.Space.Backups;
using Cairn.Space.Usage;

namespace Cairn.Space.Accounts;

/// <summary>
/// What an account's email and password must be: an address a person could type (one <c>@</c>, no spaces or control
/// characters, a sane length) and a password of at least <see cref="MinLength"/> characters that is neither the
/// address nor one of the commonly used ones (<c>common-passwords.txt</c>, matched without regard to case).
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 10;
    public const int MaxLength = 1024; // hashing a megabyte per guess would be work handed to anyone
    public const int MaxEmailLength = 254; // RFC 5321's path limit less the angle brackets
    public const int MaxLocalPartLength = 64;

    private static readonly Lazy<FrozenSet<string>> s_common = new(LoadCommon);

    public static int CommonCount => s_common.Value.Count;

    public static string NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainRuleException("an email address is required");
        }

        if (trimmed.Length > MaxEmailLength)
        {
            throw new DomainRuleException($"an email address has at most {MaxEmailLength} characters");
        }

        if (trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            throw new DomainRuleException("an email address has no spaces or control characters");
        }

        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1 || at > MaxLocalPartLength)
        {
            throw new DomainRuleException("an email address has one @ with a name of at most 64 characters before it and a domain after it");
        }

        var domain = trimmed[(at + 1)..];
        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            throw new DomainRuleException("the domain of an email address has no empty parts");
        }

        return trimmed;
    }

    /// <summary>Checks a new password against the rules; <paramref name="email"/> is the normalized address it belongs to.</summary>
    public static void RequireStrongEnough(string? password, string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (password is null || password.Length < MinLength)
        {
            throw new DomainRuleException($"a password has at least {MinLength} characters");
        }

        if (password.Length > MaxLength)
        {
            throw new DomainRuleException($"a password has at most {MaxLength} characters");
        }

        if (IsCommon(password))
        {
            throw new DomainRuleException("this password is one of the most common ones; choose another");
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (password.Trim().Equals(email, StringComparison.OrdinalIgnoreCase)
            || (at > 0 && password.Trim().Equals(email[..at], StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainRuleException("a password must not be the email address");
        }
    }

    public static bool IsCommon(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return s_common.Value.Contains(password.Trim());
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cairn.Space.common-passwords.txt")
                           ?? throw new InvalidOperationException("the common password list is not embedded");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                words.Add(line.Trim());
            }
        }

        return words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
