using Cairn.Space.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// Operator only: the public key Space signs in with to an ssh provider's server, for its <c>authorized_keys</c>
/// (made on the first request; docs/operations.md, "Restore to your own server over SSH").
/// </summary>
public static class SshKeysApi
{
    public static IEndpointRouteBuilder MapSshKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/admin/providers").WithTags("Admin").RequireAuthorization(SpaceClaims.OperatorPolicy)
            .MapGet("/{id}/ssh-key", GetAsync);
        return app;
    }

    private static async Task<Results<Ok<SshKeyResponse>, NotFound<string>, Conflict<string>>> GetAsync(string id, CloudCatalog catalog, SshProviderKeys keys,
        CancellationToken cancellationToken)
    {
        var provider = catalog.Providers.FirstOrDefault(p => p.Id == id);
        if (provider is null)
        {
            return TypedResults.NotFound($"no provider '{id}' in the catalog");
        }

        if (provider.Ssh is not { } target)
        {
            return TypedResults.Conflict($"provider '{id}' uses driver '{provider.Driver}', not ssh: it has no ssh key");
        }

        var publicKey = await keys.PublicKeyAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SshKeyResponse(id, publicKey, $"{target.User}@{target.Host}:{target.EffectivePort}", target.TargetFolder));
    }
}

/// <summary>The line to add to <see cref="Destination"/>'s <c>~/.ssh/authorized_keys</c>.</summary>
public sealed record SshKeyResponse(string Provider, string PublicKey, string Destination, string TargetFolder);
