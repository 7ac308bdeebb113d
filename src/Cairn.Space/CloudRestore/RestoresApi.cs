using System.Security.Claims;
using System.Text;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Http.HttpResults;


namespace Cairn.Space.CloudRestore;

/// <summary>
/// Restoring a task's snapshot onto a new cloud instance: quote, order (with the backup password, in the body only),
/// pay, follow the state, give the password again after Restore_error, cancel an unpaid order.
/// </summary>
public static class RestoresApi
{
    public static IEndpointRouteBuilder MapRestoresApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/restores").WithTags("Restores").RequireAuthorization(SpaceClaims.ApiPolicy);
        api.MapPost("/quote", QuoteAsync);
        api.MapPost("/", PlaceAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/{id:guid}", GetAsync);
        api.MapPost("/{id:guid}/pay", PayAsync);
        api.MapPost("/{id:guid}/password", GivePasswordAsync);
        api.MapPost("/{id:guid}/cancel", CancelAsync);
        return app;
    }

    private static async Task<Ok<QuoteResponse>> QuoteAsync(RestoreRequest request, ClaimsPrincipal user, RestoreOrders orders,
        CancellationToken cancellationToken)
        => TypedResults.Ok(QuoteResponse.From(await orders.QuoteAsync(user.GetAccountId(), request.ToSpec(), cancellationToken).ConfigureAwait(false)));

    private static async Task<Created<OrderResponse>> PlaceAsync(RestoreRequest request, ClaimsPrincipal user, RestoreOrders orders,
        CancellationToken cancellationToken)
    {
        var result = await orders.PlaceAsync(user.GetAccountId(), request.ToSpec(), request.Password, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/restores/{result.Instance.Id}", OrderResponse.From(result));
    }

    private static async Task<Ok<OrderResponse[]>> ListAsync(ClaimsPrincipal user, RestoreOrders orders, CancellationToken cancellationToken)
    {
        var list = new List<OrderResponse>();
        foreach (var instance in await orders.ListAsync(user.GetAccountId(), cancellationToken).ConfigureAwait(false))
        {
            list.Add(OrderResponse.From(await orders.ResultAsync(instance, cancellationToken).ConfigureAwait(false)));
        }

        return TypedResults.Ok(list.ToArray());
    }

    private static async Task<Ok<OrderResponse>> GetAsync(Guid id, ClaimsPrincipal user, RestoreOrders orders, CancellationToken cancellationToken)
    {
        var instance = await orders.GetAsync(user.GetAccountId(), id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(OrderResponse.From(await orders.ResultAsync(instance, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> PayAsync(Guid id, PayRequest? request, ClaimsPrincipal user,
        RestoreOrders orders, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(OrderResponse.From(await orders.PayAsync(user.GetAccountId(), id, request?.Password, cancellationToken).ConfigureAwait(false)));
        }
        catch (PaymentRequiredException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status402PaymentRequired, title: "Payment required");
        }
    }

    private static async Task<Accepted<OrderResponse>> GivePasswordAsync(Guid id, PasswordRequest request, ClaimsPrincipal user, RestoreOrders orders,
        CancellationToken cancellationToken)
    {
        var instance = await orders.GivePasswordAsync(user.GetAccountId(), id, request.Password, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/v1/restores/{id}", OrderResponse.From(await orders.ResultAsync(instance, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Ok<OrderResponse>> CancelAsync(Guid id, ClaimsPrincipal user, RestoreOrders orders, CancellationToken cancellationToken)
    {
        var instance = await orders.CancelAsync(user.GetAccountId(), id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(OrderResponse.From(await orders.ResultAsync(instance, cancellationToken).ConfigureAwait(false)));
    }
}

/// <summary>
/// A restore: the task, the snapshot (null or "latest" for the most recent), where and on what, the instance's name
/// (the task's instance name when null), and, to order, the backup password. Printing it never shows the password.
/// </summary>
public sealed record RestoreRequest(Guid BackupId, string? SnapshotId, string? Provider, string? Region, string? Hardware, string? InstanceName,
    string? Password = null)
{
    public RestoreSpec ToSpec() => new(BackupId, SnapshotId, Provider, Region, Hardware, InstanceName);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"BackupId = {BackupId}, SnapshotId = {SnapshotId}, Provider = {Provider}, Region = {Region}, Hardware = {Hardware}, ")
            .Append($"InstanceName = {InstanceName}, Password = {(Password is null ? "null" : "***")}");
        return true;
    }
}

/// <summary>Pays an Unpaid order; a password here replaces the one given with the order.</summary>
public sealed record PayRequest(string? Password)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(Password is null ? "Password = null" : "Password = ***");
        return true;
    }
}

/// <summary>The backup password, given again after Restore_error. Printing it never shows the password.</summary>
public sealed record PasswordRequest(string? Password)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(Password is null ? "Password = null" : "Password = ***");
        return true;
    }
}

public sealed record ChargeLineResponse(string Kind, string Description, decimal Quantity, string Unit, decimal Amount);

public sealed record SnapshotChoiceResponse(string Id, string ShortId, DateTimeOffset Time, long SizeBytes, bool SizeFromTask);

/// <summary>The charges of a restore before ordering; <see cref="SizeNote"/> says when the task's bytes stood in for the snapshot's size.</summary>
public sealed record QuoteResponse(Guid BackupId, string TaskName, string InstanceName, SnapshotChoiceResponse Snapshot, string Provider,
    string Region, string Hardware, IReadOnlyList<ChargeLineResponse> Lines, decimal Total, string Currency, string? SizeNote)
{
    public static QuoteResponse From(RestoreQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return new QuoteResponse(quote.TaskId, quote.TaskName, quote.InstanceName,
            new SnapshotChoiceResponse(quote.SnapshotId, quote.SnapshotId[..8], quote.SnapshotTime, quote.SizeBytes, quote.SizeFromTask),
            quote.Choice.Provider.Id, quote.Choice.Region.Id, quote.Choice.Hardware.Id,
            [.. quote.Lines.Select(l => new ChargeLineResponse(l.Kind.ToString(), l.Description, l.Quantity, l.Unit, l.Amount))],
            quote.Total, quote.Currency, SizeNoteFor(quote.SizeFromTask));
    }

    public static string? SizeNoteFor(bool sizeFromTask)
        => sizeFromTask ? "Space prices a restore by the task's stored bytes, which it holds; a size a client reports is shown but never charged by." : null;
}

/// <summary>A restore order and its cloud instance: state (Unpaid, Pending, Installing, Restoring, Running, Restore_error, …), reason, charges.</summary>
public sealed record OrderResponse(
    Guid Id,
    string State,
    string? Reason,
    string? Message,
    string InstanceName,
    Guid BackupId,
    string SnapshotId,
    DateTimeOffset SnapshotTime,
    long SizeBytes,
    bool SizeFromTask,
    string Provider,
    string Region,
    string Hardware,
    IReadOnlyList<ChargeLineResponse> Lines,
    decimal Total,
    string Currency,
    decimal Balance,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? PeriodEnd,
    string? Disk)
{
    public static OrderResponse From(OrderResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Instance;
        return new OrderResponse(c.Id, c.State.ToApiName(), c.Reason, result.Message, c.Name, c.TaskId, c.SnapshotId, c.SnapshotTime, c.SizeBytes,
            c.SizeFromTask, c.Provider, c.Region, c.Hardware,
            [.. result.Lines.Select(l => new ChargeLineResponse(l.Kind.ToString(), l.Description, l.Quantity, l.Unit, l.Amount))],
            c.Total, c.Currency, result.Balance, c.CreatedAt, c.PaidAt, c.PeriodEnd, c.Disk);
    }
}
