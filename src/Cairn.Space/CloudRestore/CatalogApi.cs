
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Space.CloudRestore;

/// <summary>The cloud catalog: providers, regions, hardware and prices (public, like the price sheet).</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Catalog").MapGet("/catalog", GetCatalog);
        return app;
    }

    private static Ok<CatalogResponse> GetCatalog(CloudCatalog catalog) => TypedResults.Ok(new CatalogResponse(catalog.Currency,
        [.. catalog.Providers.Select(p => p with { Ssh = null, CloudApi = null })])); // a provider's host, API, user and folder are the operator's business
}

public sealed record CatalogResponse(string Currency, IReadOnlyList<CatalogProvider> Providers);
