using System.Security.Cryptography;
using Cairn.Space.Hosting;

namespace Cairn.Space.Agents;

/// <summary>
/// An agent's token, <c>cairn-agent_{agentId}_{secret}</c>: the id says which row to check, the secret (256
/// random bits, hex) is kept only as its SHA-256. The same token is the agent's password on the repositories,
/// with the user name <c>agent-{agentId}</c>.
/// </summary>
public static class AgentTokens
{
    public const string Prefix = "cairn-agent_";
    public const string RepositoryUserPrefix = "agent-";

    public static (string Token, string SecretHash) NewToken(Guid agentId)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{agentId:D}_{secret}", Secrets.Hash(secret));
    }

    public static string RepositoryUser(Guid agentId) => $"{RepositoryUserPrefix}{agentId:D}";

    /// <summary>Splits a token into the agent's id and the secret; false for anything else.</summary>
    public static bool TryParse(string? token, out Guid agentId, out string secret)
    {
        agentId = Guid.Empty;
        secret = "";
        const int idLength = 36;
        if (token is null || token.Length > 200 || !token.StartsWith(Prefix, StringComparison.Ordinal)
            || token.Length < Prefix.Length + idLength + 2 || token[Prefix.Length + idLength] != '_'
            || !Guid.TryParseExact(token.AsSpan(Prefix.Length, idLength), "D", out agentId))
        {
            return false;
        }

        secret = token[(Prefix.Length + idLength + 1)..];
        return true;
    }

    /// <summary>The agent id of a repository user name <c>agent-{agentId}</c>.</summary>
    public static bool TryParseRepositoryUser(string username, out Guid agentId)
    {
        ArgumentNullException.ThrowIfNull(username);
        agentId = Guid.Empty;
        return username.StartsWith(RepositoryUserPrefix, StringComparison.Ordinal)
               && Guid.TryParseExact(username.AsSpan(RepositoryUserPrefix.Length), "D", out agentId);
    }
}
