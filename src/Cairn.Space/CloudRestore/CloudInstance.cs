using Cairn.Space.Backups;
using Cairn.Space.Usage;
namespace Cairn.Space.CloudRestore;

/// <summary>
/// An order to restore a task's snapshot onto a new cloud instance, and that instance for its whole life. Its
/// <see cref="State"/> is the durable job: the runner picks up every instance in a working state, so a restart
/// resumes where the database says. The backup password is never a property here (see <see cref="BackupPasswordHolder"/>).
/// <see cref="ClaimedBy"/> says which replica works the job (see <see cref="CloudJobClaims"/>).
/// </summary>
public sealed class CloudInstance
{
    public const int MaxReasonLength = 1000;

    private CloudInstance()
    {
    }

    public CloudInstance(Guid id, Guid accountId, string name, RestoreQuote quote, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(quote);
        Id = id;
        AccountId = accountId;
        Name = Names.RequireInstanceName(name);
        TaskId = quote.TaskId;
        TaskInstanceId = quote.TaskInstanceId;
        SnapshotId = quote.SnapshotId;
        SnapshotTime = quote.SnapshotTime.ToUniversalTime();
        SizeBytes = quote.SizeBytes;
        SizeFromTask = quote.SizeFromTask;
        Provider = quote.Choice.Provider.Id;
        Region = quote.Choice.Region.Id;
        Hardware = quote.Choice.Hardware.Id;
        Currency = quote.Currency;
        Total = quote.Total;
        PeriodAmount = quote.Lines.Where(l => l.IsForThePeriod).Sum(l => l.Amount);
        CreatedAt = createdAt.ToUniversalTime();
        State = CloudInstanceState.Unpaid;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }

    /// <summary>Unique among cloud instances that are not Destroyed or Canceled.</summary>
    public string Name { get; private set; } = "";

    public Guid TaskId { get; private set; }

    /// <summary>The backup instance the task belongs to (its repository is keyed by both IDs).</summary>
    public Guid TaskInstanceId { get; private set; }

    public string SnapshotId { get; private set; } = "";
    public DateTimeOffset SnapshotTime { get; private set; }

    /// <summary>The size the charges were estimated from.</summary>
    public long SizeBytes { get; private set; }

    /// <summary>True when the snapshot's size was unknown and the task's stored bytes stood in for it.</summary>
    public bool SizeFromTask { get; private set; }

    public string Provider { get; private set; } = "";
    public string Region { get; private set; } = "";
    public string Hardware { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public decimal Total { get; private set; }

    /// <summary>The part of <see cref="Total"/> bought for the period (instance and storage), refunded pro rata on return.</summary>
    public decimal PeriodAmount { get; private set; }

    public CloudInstanceState State { get; private set; }

    /// <summary>Why the instance is in RestoreError or Errored (never anything secret).</summary>
    public string? Reason { get; private set; }

    /// <summary>Where the driver put the machine; for the local driver the folder that is its disk.</summary>
    public string? Disk { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? PeriodEnd { get; private set; }
    public DateTimeOffset? RunningAt { get; private set; }
    public DateTimeOffset? ReturnedAt { get; private set; }

    /// <summary>When the name was freed (Destroyed or Canceled); null while the instance holds it.</summary>
    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>
    /// The replica that works this job, or that holds the password for this Unpaid order; null when none does. A
    /// concurrency token: a replica whose claim was taken over can no longer save the job.
    /// </summary>
    public string? ClaimedBy { get; private set; }

    /// <summary>Until when <see cref="ClaimedBy"/> holds without a heartbeat; after it another replica may take the job.</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }

    /// <summary>The replica that received the password takes the job, so the password never leaves it.</summary>
    public void ClaimFor(string replicaId, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrEmpty(replicaId);
        if (State is not (CloudInstanceState.Unpaid or CloudInstanceState.Pending or CloudInstanceState.Installing))
        {
            throw new ConflictException($"instance '{Name}' is {State.ToApiName()}; it is not waiting for an install");
        }

        ClaimedBy = replicaId;
        ClaimedUntil = until.ToUniversalTime();
    }

    public void Pay(DateTimeOffset now)
    {
        Require(CloudInstanceState.Unpaid, "pay for");
        PaidAt = now.ToUniversalTime();
        PeriodEnd = PaidAt.Value.AddMonths(1);
        Move(CloudInstanceState.Pending);
    }

    public void Cancel(DateTimeOffset now)
    {
        Require(CloudInstanceState.Unpaid, "cancel");
        ReleasedAt = now.ToUniversalTime();
        Move(CloudInstanceState.Canceled);
    }

    public void StartInstall()
    {
        if (State is not (CloudInstanceState.Pending or CloudInstanceState.Installing))
        {
            throw new ConflictException($"instance '{Name}' is {State.ToApiName()}; only a Pending instance starts installing");
        }

        Move(CloudInstanceState.Installing);
    }

    public void Provisioned(string disk)
    {
        ArgumentException.ThrowIfNullOrEmpty(disk);
        Disk = disk;
    }

    /// <summary>The backup password opened the repository: the restore may begin.</summary>
    public void PasswordAccepted()
    {
        Require(CloudInstanceState.Installing, "restore");
        Move(CloudInstanceState.Restoring);
    }

    public void Restored(DateTimeOffset now)
    {
        Require(CloudInstanceState.Restoring, "report running");
        RunningAt = now.ToUniversalTime();
        Move(CloudInstanceState.Running);
    }

    /// <summary>The password was wrong or is gone (a restart): the owner gives it again, nothing else changes.</summary>
    public void NeedPassword(string reason)
    {
        if (State is not (CloudInstanceState.Pending or CloudInstanceState.Installing or CloudInstanceState.Restoring))
        {
            throw new ConflictException($"instance '{Name}' is {State.ToApiName()}; it is not installing");
        }

        Move(CloudInstanceState.RestoreError, reason);
    }

    /// <summary>A new password was given: the install resumes, with no new order or charge.</summary>
    public void ResumeInstall()
    {
        Require(CloudInstanceState.RestoreError, "take a password for");
        Move(CloudInstanceState.Installing);
    }

    public void Fail(string reason) => Move(CloudInstanceState.Errored, reason);

    /// <summary>Whether <see cref="Return"/> accepts the instance now (Running, Restore_error or Errored).</summary>
    public bool CanReturn => State is CloudInstanceState.Running or CloudInstanceState.RestoreError or CloudInstanceState.Errored;

    /// <summary>Returns the instance; the refund is the unused part of its period (see <see cref="RefundOnReturnAt"/>).</summary>
    public void Return(DateTimeOffset now)
    {
        if (!CanReturn)
        {
            throw new ConflictException(State == CloudInstanceState.Unpaid
                ? $"instance '{Name}' was never paid for; cancel the order instead"
                : $"instance '{Name}' is {State.ToApiName()}; it can be returned once it is Running, Restore_error or Errored");
        }

        ReturnedAt = now.ToUniversalTime();
        Move(CloudInstanceState.Destroying);
    }

    public void Destroyed(DateTimeOffset now)
    {
        Require(CloudInstanceState.Destroying, "destroy");
        ReleasedAt = now.ToUniversalTime();
        Move(CloudInstanceState.Destroyed);
    }

    /// <summary>What a return at <paramref name="moment"/> refunds: the unused part of the period, once (a second return refunds nothing).</summary>
    public decimal RefundOnReturnAt(DateTimeOffset moment) => ReturnedAt is null ? RefundAt(moment) : 0;

    /// <summary>The unused part of the period's amount at <paramref name="moment"/>, pro rata by time, in cents.</summary>
    public decimal RefundAt(DateTimeOffset moment)
    {
        if (PaidAt is not { } start || PeriodEnd is not { } end || moment >= end)
        {
            return 0;
        }

        var unused = (decimal)(end - Max(moment, start)).Ticks / (end - start).Ticks;
        return decimal.Round(PeriodAmount * unused, 2, MidpointRounding.ToZero);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void Require(CloudInstanceState state, string action)
    {
        if (State != state)
        {
            throw new ConflictException($"instance '{Name}' is {State.ToApiName()}; cannot {action} it");
        }
    }

    private void Move(CloudInstanceState state, string? reason = null)
    {
        State = state;
        if (state != CloudInstanceState.Unpaid && !state.IsWorking())
        {
            // Waiting for the owner, or done: no replica holds the job any longer.
            ClaimedBy = null;
            ClaimedUntil = null;
        }

        Reason = reason is null ? null : reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
    }
}
