using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;

namespace Cairn.Cli;

/// <summary>
/// Runs the parsed command line, or, when it does not parse, prints one line saying what is wrong (as restic's
/// "unknown flag: --x" and "unknown command "x" for "restic"") and the command's usage, and exits 1. The
/// parser's own reaction (the whole help and typo suggestions) is never shown.
/// </summary>
internal static class ParseErrorReporter
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var result = root.Parse(args);
        if ((result.Errors.Count == 0 && UnknownFlagTakenAsArgument(result) is null) || result.Action is { ClearsParseErrors: true })
        {
            return await result.InvokeAsync().ConfigureAwait(false);
        }

        Console.Error.WriteLine(Problem(result));
        Console.Error.WriteLine(Usage(result.CommandResult.Command, root));
        return ExitCodes.Error;
    }

    /// <summary>The one line naming the first thing that did not parse.</summary>
    public static string Problem(ParseResult result)
    {
        var command = result.CommandResult.Command;
        if (result.UnmatchedTokens.Count > 0)
        {
            var token = result.UnmatchedTokens[0];
            if (token.StartsWith('-') && token.Length > 1)
            {
                return $"unknown flag: {token.Split('=', 2)[0]}";
            }

            if (command.Subcommands.Count > 0 && command.Arguments.Count == 0)
            {
                return $"unknown command \"{token}\" for \"{CommandPath(command, result.RootCommandResult.Command)}\"";
            }

            return $"unexpected argument \"{token}\" for \"{CommandPath(command, result.RootCommandResult.Command)}\"";
        }

        return UnknownFlagTakenAsArgument(result) is { } flag ? $"unknown flag: {flag.Split('=', 2)[0]}" : result.Errors[0].Message;
    }

    /// <summary>
    /// A token like <c>--no-such-flag=3</c> that the parser took as a command argument (backup's paths), as restic
    /// refuses it: an argument starting with '-' is a flag unless it follows <c>--</c>. Option values are not looked at.
    /// </summary>
    private static string? UnknownFlagTakenAsArgument(ParseResult result)
    {
        var afterDoubleDash = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        var seen = false;
        foreach (var token in result.Tokens)
        {
            seen |= token.Type == TokenType.DoubleDash;
            if (seen)
            {
                afterDoubleDash.Add(token);
            }
        }

        return result.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(a => a.Tokens)
            .FirstOrDefault(t => t.Value.Length > 1 && t.Value[0] == '-' && !afterDoubleDash.Contains(t))?.Value;
    }

    /// <summary>"Usage: cairn snapshots [flags] [snapshot ID...]" and where to find the rest.</summary>
    public static string Usage(Command command, Command root)
    {
        var path = CommandPath(command, root);
        var usage = new StringBuilder("Usage: ").Append(path);
        if (command.Subcommands.Count > 0)
        {
            usage.Append(" [command]");
        }

        usage.Append(" [flags]");
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            var name = argument.HelpName ?? argument.Name;
            var many = argument.Arity.MaximumNumberOfValues > 1;
            var optional = argument.Arity.MinimumNumberOfValues == 0;
            usage.Append(' ').Append(optional ? '[' : '<').Append(name).Append(many ? "..." : "").Append(optional ? ']' : '>');
        }

        return usage.Append(Environment.NewLine).Append($"Run \"{path} --help\" for all flags.").ToString();
    }

    public static string CommandPath(Command command, Command root)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
        {
            names.Add(ReferenceEquals(c, root) ? "cairn" : c.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
