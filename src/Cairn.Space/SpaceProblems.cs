using Cairn.Space.Backups;
using Microsoft.AspNetCore.Diagnostics;

namespace Cairn.Space;

/// <summary>Maps the domain's exceptions to problem details, once, for every endpoint.</summary>
public sealed class SpaceProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var status = exception switch
        {
            DomainRuleException => StatusCodes.Status400BadRequest,
            NotFoundException => StatusCodes.Status404NotFound,
            ConflictException => StatusCodes.Status409Conflict,
            WrongBackupPasswordException => StatusCodes.Status422UnprocessableEntity,
            AccessDeniedException => StatusCodes.Status403Forbidden,
            TooManyRequestsException => StatusCodes.Status429TooManyRequests,
            BadHttpRequestException bad => bad.StatusCode,
            _ => 0,
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (exception is TooManyRequestsException tooMany)
        {
            httpContext.Response.Headers.RetryAfter = tooMany.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = exception.Message },
        }).ConfigureAwait(false);
    }
}
