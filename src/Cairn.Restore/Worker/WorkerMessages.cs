namespace Cairn.Restore.Worker;

/// <summary>The first frame: what to restore and the password, which reaches the child this way only.</summary>
public sealed record StartMessage(string Snapshot, string Password, int Concurrency);

/// <summary>The store operations a child may ask for.</summary>
public static class StoreOps
{
    /// <summary>Stat an object.</summary>
    public const string Stat = "stat";
    /// <summary>Read an object or a range of it.</summary>
    public const string Read = "read";
    /// <summary>List objects of a kind.</summary>
    public const string List = "list";
    /// <summary>Save an object.</summary>
    public const string Save = "save";
    /// <summary>Delete an object.</summary>
    public const string Delete = "delete";
}

/// <summary>One store operation; a save carries the object's bytes as the frame's data.</summary>
public sealed record CallMessage(string Op, string Kind, string? Name = null, long Offset = 0, int Length = 0);

/// <summary>How a store call failed, so the child raises the same storage exception the store did.</summary>
public static class StoreErrors
{
    /// <summary>The object does not exist.</summary>
    public const string NotFound = "notFound";
    /// <summary>The object already exists.</summary>
    public const string Exists = "exists";
    /// <summary>The store refused the call.</summary>
    public const string Refused = "refused";
    /// <summary>A failure worth retrying.</summary>
    public const string Transient = "transient";
    /// <summary>Any other failure.</summary>
    public const string Failed = "failed";
}

/// <summary>The answer to a call: an error, a size, or a listing; a read's bytes come as the frame's data.</summary>
public sealed record ReplyMessage(string? Error = null, string? Message = null, long Size = 0, IReadOnlyList<ListedObject>? Objects = null);

/// <summary>One object of a list reply.</summary>
public sealed record ListedObject(string Name, long Size);

/// <summary>The kinds of event a child reports.</summary>
public static class WorkerEvents
{
    /// <summary>The password opened a key, the snapshot was found and the child holds its lock: restoring starts.</summary>
    public const string Opened = "opened";

    /// <summary>No key opened with the password.</summary>
    public const string WrongPassword = "wrongPassword";
    /// <summary>Progress counts.</summary>
    public const string Progress = "progress";
    /// <summary>A restore warning on a path.</summary>
    public const string Warning = "warning";
    /// <summary>A path skipped.</summary>
    public const string Skipped = "skipped";

    /// <summary>The restore is done and verified; the counts are the verification's.</summary>
    public const string Verified = "verified";

    /// <summary>The restore failed; <see cref="EventMessage.Message"/> says why, <see cref="EventMessage.Verification"/> whether the tree differs.</summary>
    public const string Failed = "failed";
}

/// <summary>One event of the child; which fields are set depends on <see cref="Type"/>.</summary>
public sealed record EventMessage(string Type)
{
    /// <summary>The child's effective user ID, so the parent can log (and tests check) who really restored.</summary>
    public uint? Uid { get; init; }
    /// <summary>The path a warning or skip is about.</summary>
    public string? Path { get; init; }
    /// <summary>The warning's or skip's text.</summary>
    public string? Message { get; init; }
    /// <summary>Whether the progress is of the verification pass.</summary>
    public bool Verification { get; init; }
    /// <summary>Files done so far.</summary>
    public long Files { get; init; }
    /// <summary>Directories done so far.</summary>
    public long Directories { get; init; }
    /// <summary>Bytes done so far.</summary>
    public long Bytes { get; init; }
    /// <summary>Paths skipped so far.</summary>
    public long Skipped { get; init; }
}
