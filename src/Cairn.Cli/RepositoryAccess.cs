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
        var location = result.GetValue(GlobalOptions.Repo) ?? Env.Get("REPOSITORY");
        var locationFile = result.GetValue(GlobalOptions.RepositoryFile) ?? Env.Get("REPOSITORY_FILE");
        if (location is not null && locationFile is not null)
        {
            throw new UsageException("Options -r and --repository-file are mutually exclusive, please specify only one");
        }

        return new()
        {
            Location = location,
            LocationFile = locationFile,
            Password = Env.Get("PASSWORD"),
            PasswordFile = result.GetValue(GlobalOptions.PasswordFile) ?? Env.Get("PASSWORD_FILE"),
            PasswordCommand = result.GetValue(GlobalOptions.PasswordCommand) ?? Env.Get("PASSWORD_COMMAND"),
            KeyHint = result.GetValue(GlobalOptions.KeyHint) ?? Env.Get("KEY_HINT"),
            MissingLocation = "Please specify repository location (-r or --repository-file)",
        };
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
