using System.CommandLine;
using Cairn.Repository;
using Cairn.Repository.Chunking;

namespace Cairn.Cli.Commands;

internal static class InitCommand
{
    public static Command Create()
    {
        var copyChunkerParams = new Option<bool>("--copy-chunker-params")
        {
            Description = "use the chunker parameters of the repository --from-repo names, so that snapshots copied from it deduplicate",
        };
        var command = new Command("init", "Initialize a new repository") { copyChunkerParams };
        var from = new SourceRepositoryOptions("to copy chunker parameters from");
        from.AddTo(command);
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var copyChunker = result.GetValue(copyChunkerParams);
            RepositoryAccess? source = null;
            if (copyChunker)
            {
                source = from.UsesLegacy(result, output) ? from.Legacy(result, "source") : from.From(result);
            }
            else if (from.From(result).IsGiven || from.Legacy(result, "source").IsGiven)
            {
                throw new UsageException("Secondary repository must only be specified when copying the chunker parameters");
            }

            var store = RepositoryOpener.OpenStore(result);
            var password = RepositoryOpener.ReadPassword(result, confirm: true, "enter password for new repository: ");
            var polynomial = source is null ? Polynomial.RandomIrreducible() : await ChunkerPolynomialAsync(result, source, ct);
            await using var repository = await ResticRepository.InitAsync(store, password, RepositoryOpener.Options(result, RepositoryOpener.Location(result)), polynomial, ct);
            if (output.Json)
            {
                output.JsonLine(new InitializedJson("initialized", repository.Config.Id, store.Location), CliJsonContext.Lines.InitializedJson);
            }
            else
            {
                output.Line($"created restic repository {repository.Config.Id[..10]} at {store.Location}");
                output.Line("");
                output.Line("Please note that knowledge of your password is required to access");
                output.Line("the repository. Losing your password means that your data is");
                output.Line("irrecoverably lost.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The source's polynomial, refused unless it is one restic could have picked (irreducible, degree 53).</summary>
    private static async Task<Polynomial> ChunkerPolynomialAsync(ParseResult result, RepositoryAccess source, CancellationToken cancellationToken)
    {
        await using var repository = await RepositoryOpener.OpenAsync(result, source, cancellationToken);
        var polynomial = Polynomial.Parse(repository.Config.ChunkerPolynomial);
        return polynomial.IsIrreducible() && polynomial.Degree == Polynomial.ChunkerDegree
            ? polynomial
            : throw new UsageException($"the chunker polynomial {repository.Config.ChunkerPolynomial} of {repository.Store.Location} is not an irreducible polynomial of degree {Polynomial.ChunkerDegree}");
    }
}

/// <summary>init --json.</summary>
internal sealed record InitializedJson(string MessageType, string Id, string Repository);
