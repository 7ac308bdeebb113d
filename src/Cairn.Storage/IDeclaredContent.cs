namespace Cairn.Storage;

/// <summary>
/// Implemented by a content stream handed to <see cref="IObjectStore.SaveAsync"/> that knows, before it is read, how
/// many bytes it gives and that they hash (SHA-256) to the name they are saved under, as every restic file but
/// <c>config</c> does (docs/format.md, "Identifiers": a storage ID). A store may then send both ahead of the bytes: the S3 backend
/// streams one PUT whose signature carries the name as the payload's hash, so the server itself refuses bytes that do
/// not match, and no part is held in memory. Stores that cannot use it read the stream as any other.
/// </summary>
public interface IDeclaredContent
{
    /// <summary>True, with the length, when the stream's length is known and its bytes must hash to the object's name.</summary>
    bool TryGetDeclaredLength(out long length);

    /// <summary>
    /// Called before the first read by a store whose server checks the bytes against the name itself (and throws
    /// <see cref="ContentMismatchException"/> when they differ): the stream need not hash them too.
    /// </summary>
    void HashCheckedByStore();
}
