using System.Text.RegularExpressions;

namespace Cairn.Architecture.Tests;

/// <summary>The Cairn namespaces a C# file names: in using directives and in qualified names in code.</summary>
internal static partial class NamespaceUses
{
    public static IReadOnlySet<string> In(string source)
    {
        var code = StripCommentsAndStrings(source);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in QualifiedName().Matches(code))
        {
            names.Add(m.Value);
        }

        return names;
    }

    /// <summary>The project under src/ that owns a namespace: the longest project name that is it or a prefix of it.</summary>
    public static string? OwnerOf(string ns, IEnumerable<string> projects)
        => projects.Where(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal)).MaxBy(p => p.Length);

    /// <summary>Whether a namespace lies under an <c>Internal</c> namespace (Npgsql's convention for machinery).</summary>
    public static bool IsInternal(string ns) => ns.Split('.').Contains("Internal", StringComparer.Ordinal);

    // Comments and string literals may mention any project ("Cairn.Space calls ..."): only code counts.
    private static string StripCommentsAndStrings(string source)
        => CommentOrString().Replace(source, m => m.Value.StartsWith('/') ? "" : "\"\"");

    [GeneratedRegex(@"\bCairn(?:\.[A-Z]\w*)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""""""[\s\S]*?""""""|""(?:\\.|[^""\\\n])*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
