using System.CommandLine;

namespace Cairn.Cli.Generate;

/// <summary>The visible commands and flags of the command line, walked once for completion scripts and man pages.</summary>
internal sealed record CommandNode(Command Command, IReadOnlyList<string> Path, IReadOnlyList<Option> OwnOptions, IReadOnlyList<Option> InheritedOptions, IReadOnlyList<CommandNode> Children)
{
    /// <summary>"cairn key add".</summary>
    public string FullName => string.Join(' ', Path);

    /// <summary>"key add" (empty for the root).</summary>
    public string SubPath => string.Join(' ', Path.Skip(1));

    public IEnumerable<CommandNode> SelfAndDescendants() => Children.SelectMany(c => c.SelfAndDescendants()).Prepend(this);

    public IEnumerable<Option> AllOptions => OwnOptions.Concat(InheritedOptions);

    public static CommandNode Of(RootCommand root) => Build(root, ["cairn"], []);

    private static CommandNode Build(Command command, IReadOnlyList<string> path, IReadOnlyList<Option> inherited)
    {
        var own = command.Options.Where(o => !o.Hidden).ToList();
        var passedOn = inherited.Concat(own.Where(o => o.Recursive)).ToList();
        var children = command.Subcommands.Where(c => !c.Hidden)
            .Select(c => Build(c, [.. path, c.Name], passedOn))
            .ToList();
        return new CommandNode(command, path, own, inherited, children);
    }

    /// <summary>An option's spellings that a shell completes: "--name" and the one-letter "-x" forms (not "-?" or "/h").</summary>
    public static IEnumerable<string> Spellings(Option option) =>
        option.Aliases.Prepend(option.Name).Distinct().Where(a => a.StartsWith("--", StringComparison.Ordinal) || (a.Length == 2 && a[0] == '-' && char.IsLetterOrDigit(a[1])));
}
