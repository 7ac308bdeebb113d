namespace Cairn.Restore.Worker;

/// <summary>The first frame: what to restore and the password, which reaches the child this way only.</summary>
public sealed record StartMessage(string Snapshot, string Password, int Concurrency);

/// <summary>The store operations a child may ask for.</summary>
public static class StoreOps
{
    public const string Stat = "stat";
    public const string Read = "read";
    public const string List = "list";
    public const string Save = "save";
    public const string Delete = "delete";
}

/// <summary>One store operation; a save carries the object's bytes as the frame's data.</summary>
public sealed record CallMessage(string Op, string Kind, string? Name = null, long Offset = 0, int Length = 0);

/// <summary>How a store call failed, so the child raises the same storage exception the store did.</summary>
public static class StoreErrors
{
    public const string NotFound = "notFound";
    public const string Exists = "exists";
    public const string Refused = "refused";
    public const string Transient = "transient";
    public const string Failed = "failed";
}

/// <summary>The answer to a call: an error, a size, or a listing; a read's bytes come as the frame's data.</summary>
public sealed record ReplyMessage(string? Error = null, string? Message = null, long Size = 0, IReadOnlyList<ListedObject>? Objects = null);

public sealed record ListedObject(string Name, long Size);

/// <summary>The kinds of event a child reports.</summary>
public static class WorkerEvents
{
    /// <summary>The password opened a key, the snapshot was found and the child holds its lock: restoring starts.</summary>
    public const string Opened = "opened";

    public const string WrongPassword = "wrongPassword";
    public const string Progress = "progress";
    public const string Warning = "warning";
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
    public string? Path { get; init; }
    public string? Message { get; init; }
    public bool Verification { get; init; }
    public long Files { get; init; }
    public long Directories { get; init; }
    public long Bytes { get; init; }
    public long Skipped { get; init; }
}
