using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Cairn.Space.Accounts;
using Cairn.Space.Agents;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Space.Instances;

/// <summary>
/// HTTP basic auth with instance credentials, for restic's REST requests under <c>/repo/</c>. A revoked credential
/// or one of a removed instance is refused; the secret is compared by its hash in constant time.
/// </summary>
public sealed class InstanceCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SpaceDbContext db,
    AgentCredentials agents)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Basic ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!TryDecode(header[Prefix.Length..].Trim(), out var username, out var secret))
        {
            return AuthenticateResult.Fail("malformed basic credentials");
        }

        if (AgentTokens.TryParseRepositoryUser(username, out var agentId))
        {
            return await AuthenticateAgentAsync(username, agentId, secret).ConfigureAwait(false);
        }

        var found = await (from c in db.Credentials.AsNoTracking()
                           join i in db.Instances.AsNoTracking() on c.InstanceId equals i.Id
                           where c.Username == username && c.RevokedAt == null && i.DeletedAt == null
                           select new { Credential = c, Instance = i })
            .SingleOrDefaultAsync(Context.RequestAborted).ConfigureAwait(false);
        if (found is null || !Secrets.Matches(secret, found.Credential.SecretHash))
        {
            return AuthenticateResult.Fail("unknown credential or wrong secret");
        }

        return Success(found.Instance.AccountId, found.Instance.Id, found.Instance.Name, found.Credential.Username, found.Credential.Access,
            found.Credential.TaskId);
    }

    // An agent's token is its password: full access to every task of its own instance, gone once it is revoked.
    private async Task<AuthenticateResult> AuthenticateAgentAsync(string username, Guid agentId, string token)
    {
        var agent = await agents.FindAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (agent is null || agent.AgentId != agentId)
        {
            return AuthenticateResult.Fail("unknown or revoked agent, or wrong token");
        }

        return Success(agent.AccountId, agent.InstanceId, agent.InstanceName, username, CredentialAccess.Full, null);
    }

    private AuthenticateResult Success(Guid accountId, Guid instanceId, string instanceName, string username, CredentialAccess access, Guid? taskId)
    {
        List<Claim> claims =
        [
            new(SpaceClaims.AccountId, accountId.ToString()),
            new(SpaceClaims.InstanceId, instanceId.ToString()),
            new(SpaceClaims.InstanceName, instanceName),
            new(SpaceClaims.CredentialUsername, username),
            new(SpaceClaims.Access, access.ToString()),
            new(ClaimTypes.Name, username),
        ];
        if (taskId is { } task)
        {
            claims.Add(new Claim(SpaceClaims.TaskId, task.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Cairn Space\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    private static bool TryDecode(string encoded, out string username, out string secret)
    {
        username = secret = "";
        Span<byte> bytes = stackalloc byte[512];
        if (encoded.Length > 680 || !Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        username = text[..colon];
        secret = text[(colon + 1)..];
        return true;
    }
}
