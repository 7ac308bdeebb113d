using System.Security.Claims;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.Instances;

/// <summary>An account's instances and their credentials.</summary>
public static class InstancesApi
{
    public static IEndpointRouteBuilder MapInstancesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/instances").WithTags("Instances").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapPost("/", RegisterAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/{name}", GetAsync);
        api.MapDelete("/{name}", DeleteAsync);
        api.MapPost("/{name}/credentials", MintCredentialAsync);
        api.MapGet("/{name}/credentials", ListCredentialsAsync);
        api.MapDelete("/{name}/credentials/{username}", RevokeCredentialAsync);
        return app;
    }

    private static async Task<Created<InstanceResponse>> RegisterAsync(RegisterInstanceRequest request, ClaimsPrincipal user,
        InstanceService instances, CancellationToken cancellationToken)
    {
        var instance = await instances.RegisterAsync(user.GetAccountId(), request.Name, request.Region, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/instances/{instance.Name}", InstanceResponse.From(instance));
    }

    private static async Task<Ok<InstanceResponse[]>> ListAsync(ClaimsPrincipal user, InstanceService instances, CancellationToken cancellationToken)
        => TypedResults.Ok((await instances.ListAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false))
            .Select(InstanceResponse.From).ToArray());

    private static async Task<Ok<InstanceResponse>> GetAsync(string name, ClaimsPrincipal user, InstanceService instances,
        CancellationToken cancellationToken)
        => TypedResults.Ok(InstanceResponse.From(await instances.GetAsync(user.GetAccountId(), name, cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> DeleteAsync(string name, ClaimsPrincipal user, InstanceService instances, CancellationToken cancellationToken)
    {
        await instances.DeleteAsync(user.GetAccountId(), name, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Created<MintedCredentialResponse>> MintCredentialAsync(string name, MintCredentialRequest? request,
        ClaimsPrincipal user, InstanceService instances, RepositoryUrls urls, CancellationToken cancellationToken)
    {
        var instance = await instances.GetAsync(user.GetAccountId(), name, cancellationToken).ConfigureAwait(false);
        var task = request?.Task ?? "default";
        Names.RequireTaskName(task);
        var access = request?.AppendOnly == true ? CredentialAccess.AppendOnly : CredentialAccess.Full;
        var minted = await instances.MintCredentialAsync(instance, access, null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/instances/{instance.Name}/credentials/{minted.Credential.Username}",
            new MintedCredentialResponse(minted.Credential.Username, minted.Secret,
                urls.ForTask(instance.Name, task, minted.Credential.Username, minted.Secret),
                urls.ForTask(instance.Name, task),
                access == CredentialAccess.AppendOnly));
    }

    private static async Task<Ok<CredentialResponse[]>> ListCredentialsAsync(string name, ClaimsPrincipal user, InstanceService instances,
        CancellationToken cancellationToken)
    {
        var instance = await instances.GetAsync(user.GetAccountId(), name, cancellationToken).ConfigureAwait(false);
        var list = await instances.ListCredentialsAsync(instance, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(c => new CredentialResponse(c.Username, c.Access.ToString(), c.TaskId, c.CreatedAt, c.RevokedAt)).ToArray());
    }

    private static async Task<NoContent> RevokeCredentialAsync(string name, string username, ClaimsPrincipal user, InstanceService instances,
        CancellationToken cancellationToken)
    {
        var instance = await instances.GetAsync(user.GetAccountId(), name, cancellationToken).ConfigureAwait(false);
        await instances.RevokeCredentialAsync(instance, username, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}

public sealed record RegisterInstanceRequest(string? Name, string? Region);

public sealed record InstanceResponse(string Name, string Region, DateTimeOffset CreatedAt)
{
    public static InstanceResponse From(Instance instance) => new(instance.Name, instance.Region, instance.CreatedAt);
}

/// <summary><see cref="Task"/> names the task the returned URL points at (default <c>default</c>); the credential reaches every task of the instance.</summary>
public sealed record MintCredentialRequest(bool AppendOnly, string? Task);

/// <summary>The only time the secret is shown. <see cref="RepositoryUrl"/> carries it, for restic's <c>-r</c>.</summary>
public sealed record MintedCredentialResponse(string Username, string Secret, string RepositoryUrl, string RepositoryUrlWithoutSecret, bool AppendOnly);

public sealed record CredentialResponse(string Username, string Access, Guid? TaskId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
