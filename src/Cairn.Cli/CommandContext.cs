using System.CommandLine;

namespace Cairn.Cli;

/// <summary>Runs a command body with the output it should use, mapping failures to exit codes in one place.</summary>
internal static class CommandContext
{
    public static void SetAction(Command command, Func<ParseResult, Output, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = new Output(Console.Out, Console.Error, result.GetValue(GlobalOptions.Json), result.GetValue(GlobalOptions.Quiet));
            try
            {
                return await body(result, output, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return ErrorReporter.Report(e, Console.Error);
            }
        });
    }
}
