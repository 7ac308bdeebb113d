using Microsoft.AspNetCore.Http.Features;

namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// Refuses a repository request whose raw target has dot segments (<c>.</c>, <c>..</c>, also percent-encoded) or an
/// encoded slash or backslash. The server resolves dot segments before routing, so without this
/// <c>/repo/a/b/locks/../keys/x</c> would quietly become another object; a tenant's path is never resolved.
/// </summary>
internal static class RawPathGuard
{
    public const string Message = "dot segments and encoded slashes are not allowed in repository paths";

    public static IApplicationBuilder UseRepositoryPathGuard(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            if ((context.Request.Path.StartsWithSegments("/repo", StringComparison.Ordinal) || TargetsRepository(raw)) && !IsClean(raw))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(Message + "\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

    /// <summary>Whether the path part of a raw request target is free of dot segments and encoded separators.</summary>
    public static bool IsClean(string? rawTarget)
    {
        var path = PathOf(rawTarget);
        foreach (var segment in path.Split('/'))
        {
            if (segment.Contains("%2f", StringComparison.OrdinalIgnoreCase) || segment.Contains("%5c", StringComparison.OrdinalIgnoreCase)
                || segment.Contains('\\', StringComparison.Ordinal))
            {
                return false;
            }

            var decoded = Uri.UnescapeDataString(segment);
            if (decoded is "." or ".." || decoded.Contains('/', StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TargetsRepository(string? rawTarget)
    {
        var path = PathOf(rawTarget);
        return path.StartsWith("/repo/", StringComparison.OrdinalIgnoreCase) || path.Equals("/repo", StringComparison.OrdinalIgnoreCase);
    }

    // origin-form "/a/b?q", or absolute-form "http://host/a/b?q"
    private static string PathOf(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return "";
        }

        var path = rawTarget;
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (!path.StartsWith('/') && scheme >= 0)
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path[slash..];
        }

        var query = path.IndexOfAny(['?', '#']);
        return query < 0 ? path : path[..query];
    }
}
