using System.Text.RegularExpressions;
using Cairn.Space.Backups;
using Cairn.Space.Usage;

namespace Cairn.Space;

/// <summary>
/// The names that end up in URLs (<c>/repo/{instance}/{task}/</c>): lowercase, DNS-like, never a path trick.
/// </summary>
public static partial class Names
{
    public const int MaxInstanceNameLength = 100;
    public const int MaxTaskNameLength = 63;

    // Dot-separated labels of letters, digits and inner hyphens, e.g. "alice.olares".
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceNamePattern();

    // Starts with a letter or digit, so "." and ".." can never be a task.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskNamePattern();

    public static bool IsValidInstanceName(string? name)
        => name is { Length: > 0 and <= MaxInstanceNameLength } && InstanceNamePattern().IsMatch(name);

    public static bool IsValidTaskName(string? name)
        => name is { Length: > 0 and <= MaxTaskNameLength } && TaskNamePattern().IsMatch(name);

    public static string RequireInstanceName(string? name)
        => IsValidInstanceName(name)
            ? name!
            : throw new DomainRuleException(
                $"an instance name is 1 to {MaxInstanceNameLength} characters: lowercase letters, digits, inner hyphens, dot-separated (for example alice.olares)");

    public static string RequireTaskName(string? name)
        => IsValidTaskName(name)
            ? name!
            : throw new DomainRuleException(
                $"a task name is 1 to {MaxTaskNameLength} characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
}
