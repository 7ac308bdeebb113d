using System.Security.Claims;
using System.Text.Encodings.Web;
using Cairn.Space.Accounts;
using Cairn.Space.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Space.Agents;

/// <summary>
/// Signs requests under <c>/api/v1/agent/</c> in by the agent's bearer token. A revoked agent is refused at once
/// (its row is read on every request); a request that passes notes when the agent was last seen.
/// </summary>
public sealed class AgentTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AgentCredentials credentials,
    SpaceDbContext db,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var agent = await credentials.FindAsync(header[Prefix.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (agent is null)
        {
            return AuthenticateResult.Fail("unknown or revoked agent, or wrong token");
        }

        var now = clock.GetUtcNow();
        await db.Agents.Where(a => a.Id == agent.AgentId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, now), Context.RequestAborted).ConfigureAwait(false);
        List<Claim> claims =
        [
            new(SpaceClaims.AgentId, agent.AgentId.ToString()),
            new(SpaceClaims.InstanceId, agent.InstanceId.ToString()),
            new(SpaceClaims.InstanceName, agent.InstanceName),
            new(ClaimTypes.Name, AgentTokens.RepositoryUser(agent.AgentId)),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
