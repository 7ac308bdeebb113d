namespace Cairn.Storage;

/// <summary>
/// A store that can take an object as a file already written on its own file system, moving it into place instead
/// of copying it: a backup writes each pack once instead of into a spool file and then again into the store.
/// </summary>
/// <remarks>The same guarantees as <see cref="IObjectStore.SaveAsync"/>: whole or not at all, written once.</remarks>
public interface IStagingObjectStore : IObjectStore
{
    /// <summary>
    /// Creates an empty file, open for reading and writing, where an object of this kind can be written before its
    /// name is known. The caller owns it: it ends in <see cref="CommitStagedAsync"/> or <see cref="DiscardStaged"/>.
    /// </summary>
    FileStream CreateStagingFile(ObjectKind kind);

    /// <summary>
    /// Makes the staged file the object <paramref name="name"/>: flushed to disk and moved into place whole. If the
    /// object exists already with the same length, the staged file is dropped (same name, same bytes); with another
    /// length it is an <see cref="ObjectExistsException"/>. The staged file is closed and gone afterwards either way.
    /// </summary>
    Task CommitStagedAsync(ObjectName name, FileStream staged, CancellationToken cancellationToken = default);

    /// <summary>Closes and deletes a staged file that will not become an object.</summary>
    void DiscardStaged(FileStream staged);
}
