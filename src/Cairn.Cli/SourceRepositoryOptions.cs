using System.CommandLine;

namespace Cairn.Cli;

/// <summary>
/// The flags that name a command's second repository, the one data is read from (copy's source, init's chunker
/// parameters): <c>--from-repo</c> and friends, with <c>$CAIRN_FROM_...</c>/<c>$RESTIC_FROM_...</c>, as restic 0.14+
/// spells them; and, hidden, the deprecated <c>--repo2</c> group of restic 0.13 with <c>$..._REPOSITORY2</c> and
/// friends. The two groups cannot be mixed.
/// </summary>
internal sealed class SourceRepositoryOptions
{
    private readonly RepositoryFlags _from;
    private readonly RepositoryFlags _legacy = new(Legacy("--repo2"), Legacy("--repository-file2"), Legacy("--password-file2"),
        Legacy("--password-command2"), Legacy("--key-hint2"), name => name + "2");

    /// <param name="purpose">What the source is for, e.g. "to copy snapshots from".</param>
    public SourceRepositoryOptions(string purpose) => _from = new(
        new("--from-repo") { Description = $"source repository {purpose} (default: $CAIRN_FROM_REPOSITORY or $RESTIC_FROM_REPOSITORY)" },
        new("--from-repository-file") { Description = $"file from which to read the source repository location {purpose} (default: $CAIRN_FROM_REPOSITORY_FILE or $RESTIC_FROM_REPOSITORY_FILE)" },
        new("--from-password-file") { Description = "file to read the source repository password from (default: $CAIRN_FROM_PASSWORD_FILE or $RESTIC_FROM_PASSWORD_FILE; the password itself: $CAIRN_FROM_PASSWORD or $RESTIC_FROM_PASSWORD)" },
        new("--from-password-command") { Description = "shell command whose output is the source repository password (default: $CAIRN_FROM_PASSWORD_COMMAND or $RESTIC_FROM_PASSWORD_COMMAND)" },
        new("--from-key-hint") { Description = "ID of the source repository's key to try first (default: $CAIRN_FROM_KEY_HINT or $RESTIC_FROM_KEY_HINT)" },
        name => "FROM_" + name);

    public void AddTo(Command command)
    {
        foreach (var option in _from.All.Concat(_legacy.All))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The <c>--from-repo</c> group, read from flags and environment.</summary>
    public RepositoryAccess From(ParseResult result) => _from.Read(result,
        "Please specify a source repository location (--from-repo or --from-repository-file)", "enter password for source repository: ");

    /// <summary>The deprecated <c>--repo2</c> group, read from flags and environment; <paramref name="role"/> names it in the prompt.</summary>
    public RepositoryAccess Legacy(ParseResult result, string role) => _legacy.Read(result,
        "Please specify a secondary repository location (--repo2 or --repository-file2)", $"enter password for {role} repository: ");

    /// <summary>
    /// Which group the command line uses: the <c>--from-repo</c> one (<c>UsesLegacy</c> false), or the deprecated
    /// <c>--repo2</c> one, warning about each deprecated flag given. Refuses both at once and neither.
    /// </summary>
    public bool UsesLegacy(ParseResult result, Output output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var from = From(result);
        var legacy = Legacy(result, "secondary");
        if (from.IsGiven && legacy.IsGiven)
        {
            throw new UsageException("Option groups repo2 and from-repo are mutually exclusive, please specify only one");
        }

        if (!legacy.IsGiven)
        {
            if (from.Location is null && from.LocationFile is null)
            {
                throw new UsageException(from.MissingLocation);
            }

            if (from.Location is not null && from.LocationFile is not null)
            {
                throw new UsageException("Options --from-repo and --from-repository-file are mutually exclusive, please specify only one");
            }

            return false;
        }

        foreach (var (option, replacement) in new[] { (_legacy.Repo, "--repo or --from-repo"), (_legacy.RepositoryFile, "--repository-file or --from-repository-file"),
                     (_legacy.PasswordFile, "--password-file or --from-password-file"), (_legacy.PasswordCommand, "--password-command or --from-password-command"),
                     (_legacy.KeyHint, "--key-hint or --from-key-hint") })
        {
            if (result.GetResult(option) is not null)
            {
                output.Warning($"Flag {option.Name} has been deprecated, use {replacement} instead");
            }
        }

        if (legacy.Location is null && legacy.LocationFile is null)
        {
            throw new UsageException(legacy.MissingLocation);
        }

        return true;
    }

    private static Option<string?> Legacy(string name) => new(name) { Hidden = true, Description = "deprecated (restic 0.13)" };
}
