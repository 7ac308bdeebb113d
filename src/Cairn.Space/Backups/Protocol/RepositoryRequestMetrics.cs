namespace Cairn.Space.Backups.Protocol;

/// <summary>Counts every request under <c>/repo/</c> by method, object kind and status, refusals included.</summary>
internal static class RepositoryRequestMetrics
{
    public static IApplicationBuilder UseRepositoryRequestMetrics(this IApplicationBuilder app)
        => app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/repo", StringComparison.Ordinal),
            branch => branch.Use(async (context, next) =>
            {
                await next(context).ConfigureAwait(false);
                var kind = context.Request.RouteValues.TryGetValue("type", out var type) ? type as string ?? "" : "repository";
                context.RequestServices.GetRequiredService<SpaceMetrics>().Request(context.Request.Method, kind, context.Response.StatusCode);
            }));
}
