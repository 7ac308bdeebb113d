using System.Text.Json;
using Cairn.Agent.Protocol;
using Cairn.Agent.Running;
using Cairn.Agent.State;

namespace Cairn.Agent;

/// <summary>Where the backup password comes from: the owner's file or command (kept as a reference), or typed once (kept in <c>password</c>).</summary>
public sealed record PasswordChoice(string? File = null, string? Command = null, string? Typed = null);

/// <summary>
/// <c>cairn agent enroll</c>: trades a one-time code for the agent's credentials and writes them, with the password
/// source, to the state folder (0600). The password is checked to be readable first, so a refused one costs no code;
/// it is never part of any request.
/// </summary>
public static class Enrollment
{
    public static async Task<AgentIdentity> EnrollAsync(StateFolder state, Uri space, string code, PasswordChoice password, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(http);
        var typed = CheckPassword(password);
        http.BaseAddress ??= BaseOf(space);
        var answer = await SpaceClient.EnrollAsync(http, new EnrollRequest(code.Trim().ToUpperInvariant(), Environment.MachineName, AgentVersion.Text), cancellationToken).ConfigureAwait(false);
        var identity = new AgentIdentity
        {
            Space = BaseOf(space).AbsoluteUri,
            AgentId = answer.AgentId,
            Token = answer.Token,
            Instance = answer.Instance,
            PasswordFile = password.File is null ? null : Path.GetFullPath(password.File),
            PasswordCommand = password.Command,
        };
        state.Create();
        if (typed is not null)
        {
            AtomicFile.WriteAllText(state.PasswordFile, typed + "\n");
        }
        else if (File.Exists(state.PasswordFile))
        {
            File.Delete(state.PasswordFile);
        }

        Save(state, identity);
        return identity;
    }

    public static void Save(StateFolder state, AgentIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(state);
        AtomicFile.WriteAllBytes(state.IdentityFile, JsonSerializer.SerializeToUtf8Bytes(identity, AgentJsonContext.Default.AgentIdentity));
    }

    /// <summary>The enrolled identity, or an error that says to enroll first.</summary>
    public static AgentIdentity Load(StateFolder state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(state.IdentityFile), AgentJsonContext.Default.AgentIdentity)
                ?? throw new InvalidOperationException($"{state.IdentityFile} is empty");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotEnrolledException($"this agent is not enrolled ({state.IdentityFile} does not exist): run `cairn agent enroll URL --code CODE` first");
        }
    }

    /// <summary>Space's URL as a base address (ending with a slash, no query).</summary>
    public static Uri BaseOf(Uri space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var builder = new UriBuilder(space) { Query = "", Fragment = "" };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    private static string? CheckPassword(PasswordChoice password)
    {
        if (password.File is { } file)
        {
            if (PasswordSource.FirstLine(ReadFile(file)).Length == 0)
            {
                throw new InvalidOperationException($"the password file {file} is empty");
            }

            return null;
        }

        if (password.Command is { } command)
        {
            _ = PasswordSource.RunCommand(command);
            return null;
        }

        return string.IsNullOrEmpty(password.Typed)
            ? throw new InvalidOperationException("an empty backup password is not allowed")
            : password.Typed;
    }

    private static string ReadFile(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"cannot read the password file {file}: {e.Message}", e);
        }
    }
}

/// <summary>No <c>agent.json</c> in the state folder.</summary>
public sealed class NotEnrolledException(string message) : Exception(message);
