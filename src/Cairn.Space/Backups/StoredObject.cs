using Cairn.Space.Usage;
using Cairn.Storage;

namespace Cairn.Space.Backups;

/// <summary>
/// One object a task's repository holds, as far as usage is concerned: its row exists exactly while its bytes are
/// counted in the task's stored bytes. Rows are inserted conditionally (the first of any number of racing
/// replicas wins and counts) and deleted the same way (only the delete that removes the row subtracts). For
/// <c>config</c>, the one object not named by its content, the row also holds the SHA-256 of its bytes, so a
/// second upload with other bytes is refused. Rebuilt from the store by the reconcile scan.
/// </summary>
public sealed class StoredObject
{
    private StoredObject()
    {
    }

    public StoredObject(Guid taskId, ObjectName name, long size, string? sha256)
    {
        TaskId = taskId;
        Kind = name.Kind;
        Name = name.Name;
        Size = size;
        Sha256 = sha256;
    }

    public Guid TaskId { get; private set; }
    public ObjectKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    public long Size { get; private set; }

    /// <summary>The content's SHA-256 for <c>config</c>; null for objects named by it.</summary>
    public string? Sha256 { get; private set; }
}
