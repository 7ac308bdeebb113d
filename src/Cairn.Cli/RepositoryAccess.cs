using System.CommandLine;

namespace Cairn.Cli;

/// <summary>
/// Where one repository's location and password come from, already read from flags and the environment: the main
/// repository (<c>-r</c>, <c>-p</c>, <c>$CAIRN_PASSWORD</c>...) or a command's second one (copy's <c>--from-repo</c>).
/// </summary>
internal sealed record RepositoryAccess
{
    public string? Location { get; init; }

    /// <summary>A file whose first line is the location (restic's <c>--repository-file</c> family).</summary>
    public string? LocationFile { get; init; }

    /// <summary>The password itself, from the environment.</summary>
    public string? Password { get; init; }

    public string? PasswordFile { get; init; }

    public string? PasswordCommand { get; init; }

    /// <summary>The key file to try first (an ID or a unique prefix).</summary>
    public string? KeyHint { get; init; }

    /// <summary>What to say when neither a location nor a location file is given.</summary>
    public required string MissingLocation { get; init; }

    public string Prompt { get; init; } = "enter password for repository: ";

    /// <summary>The main repository, as every command opens it.</summary>
    public static RepositoryAccess MainRepository(ParseResult result)
    {
        var access = RepositoryFlags.Main.Read(result, "Please specify repository location (-r or --repository-file)", "enter password for repository: ");
        if (access.Location is not null && access.LocationFile is not null)
        {
            throw new UsageException("Options -r and --repository-file are mutually exclusive, please specify only one");
        }

        return access;
    }

    /// <summary>Whether any way to reach the repository or its key was given (not the password itself).</summary>
    public bool IsGiven => Location is not null || LocationFile is not null || PasswordFile is not null || PasswordCommand is not null || KeyHint is not null;

    public string ResolveLocation()
    {
        if (Location is not null)
        {
            return Location;
        }

        if (LocationFile is null)
        {
            throw new UsageException(MissingLocation);
        }

        string text;
        try
        {
            text = File.ReadAllText(LocationFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read repository file {LocationFile}: {e.Message}");
        }

        var location = text.Trim();
        return location.Length > 0 ? location : throw new UsageException($"repository file {LocationFile} is empty");
    }
}

/// <summary>
/// The five flags that name one repository and its key, and the environment variables behind them: the global ones
/// (<c>-r</c>, <c>$CAIRN_REPOSITORY</c>...), copy's <c>--from-repo</c> group (<c>$..._FROM_REPOSITORY</c>...) or the
/// deprecated <c>--repo2</c> group (<c>$..._REPOSITORY2</c>...). <paramref name="Variable"/> turns a variable's base name
/// (<c>REPOSITORY</c>) into the group's.
/// </summary>
internal sealed record RepositoryFlags(
    Option<string?> Repo,
    Option<string?> RepositoryFile,
    Option<string?> PasswordFile,
    Option<string?> PasswordCommand,
    Option<string?> KeyHint,
    Func<string, string> Variable)
{
    public static RepositoryFlags Main { get; } = new(GlobalOptions.Repo, GlobalOptions.RepositoryFile, GlobalOptions.PasswordFile,
        GlobalOptions.PasswordCommand, GlobalOptions.KeyHint, name => name);

    public IEnumerable<Option<string?>> All => [Repo, RepositoryFile, PasswordFile, PasswordCommand, KeyHint];

    public RepositoryAccess Read(ParseResult result, string missingLocation, string prompt) => new()
    {
        Location = result.GetValue(Repo) ?? Env.Get(Variable("REPOSITORY")),
        LocationFile = result.GetValue(RepositoryFile) ?? Env.Get(Variable("REPOSITORY_FILE")),
        Password = Env.Get(Variable("PASSWORD")),
        PasswordFile = result.GetValue(PasswordFile) ?? Env.Get(Variable("PASSWORD_FILE")),
        PasswordCommand = result.GetValue(PasswordCommand) ?? Env.Get(Variable("PASSWORD_COMMAND")),
        KeyHint = result.GetValue(KeyHint) ?? Env.Get(Variable("KEY_HINT")),
        MissingLocation = missingLocation,
        Prompt = prompt,
    };
}
