using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Cairn.Cli.Generate;

/// <summary>Man pages in roff (man(7) macros): cairn.1 and one cairn-COMMAND.1 per command, as restic's are laid out.</summary>
internal static class ManPages
{
    /// <summary>File name and roff text of every page.</summary>
    public static IEnumerable<(string FileName, string Text)> Write(CommandNode root, DateOnly date, string version) =>
        root.SelfAndDescendants().Select(node => ($"{string.Join('-', node.Path)}.1", Page(node, date, version)));

    private static string Page(CommandNode node, DateOnly date, string version)
    {
        var page = new StringBuilder();
        var title = string.Join('-', node.Path).ToUpperInvariant();
        page.AppendLine($".TH \"{title}\" \"1\" \"{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\" \"cairn {Escape(version)}\" \"Cairn Manual\"");
        page.AppendLine(".nh");
        page.AppendLine(".ad l");
        page.AppendLine(".SH NAME");
        page.AppendLine($"{Escape(string.Join('-', node.Path))} \\- {Escape(node.Command.Description ?? "")}");
        page.AppendLine(".SH SYNOPSIS");
        page.AppendLine($"\\fB{Escape(ParseErrorReporter.Usage(node.Command, node.Path.Count == 1 ? node.Command : Root(node.Command)).Split(Environment.NewLine)[0]["Usage: ".Length..])}\\fP");
        page.AppendLine(".SH DESCRIPTION");
        page.AppendLine(Escape(node.Command.Description ?? ""));
        if (node.Children.Count > 0)
        {
            page.AppendLine(".SH COMMANDS");
            foreach (var child in node.Children)
            {
                page.AppendLine(".TP");
                page.AppendLine($"\\fB{Escape(child.Command.Name)}\\fP");
                page.AppendLine(Escape(child.Command.Description ?? ""));
            }
        }

        Options(page, "OPTIONS", node.OwnOptions);
        Options(page, "OPTIONS INHERITED FROM PARENT COMMANDS", node.InheritedOptions);
        page.AppendLine(".SH EXIT STATUS");
        page.AppendLine("0 on success, 1 on an error, 3 when a backup could not read all source files, 10 when the repository does not exist, 11 when it could not be locked, 12 on a wrong password, 130 when interrupted.");
        page.AppendLine(".SH SEE ALSO");
        var related = node.Path.Count == 1
            ? node.Children.Select(c => string.Join('-', c.Path))
            : [string.Join('-', node.Path.Take(node.Path.Count - 1)), .. node.Children.Select(c => string.Join('-', c.Path))];
        page.AppendLine(string.Join(", ", related.Select(r => $"\\fB{Escape(r)}\\fP(1)")));
        return page.ToString();
    }

    private static void Options(StringBuilder page, string heading, IReadOnlyList<Option> options)
    {
        if (options.Count == 0)
        {
            return;
        }

        page.AppendLine($".SH {heading}");
        foreach (var option in options)
        {
            var spellings = CommandNode.Spellings(option).OrderBy(s => s.Length).Select(s => $"\\fB{Escape(s)}\\fP");
            var value = option.Arity.MaximumNumberOfValues == 0 ? "" : $" \\fI{Escape(option.HelpName ?? "value")}\\fP";
            page.AppendLine(".TP");
            page.AppendLine(string.Join(", ", spellings) + value);
            page.AppendLine(Escape(option.Description ?? ""));
        }
    }

    private static Command Root(Command command)
    {
        var current = command;
        while (current.Parents.FirstOrDefault() is Command parent)
        {
            current = parent;
        }

        return current;
    }

    /// <summary>Text safe in roff: backslashes and hyphens escaped, a line never starting with a control character.</summary>
    public static string Escape(string text)
    {
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }
}
