namespace Cairn.Platform;

/// <summary>One name in a directory listing and, when lstat of it succeeded, its status.</summary>
/// <param name="Name">The name as the directory holds it (no "/" or NUL).</param>
/// <param name="Status">What lstat reported; meaningless when <paramref name="HasStatus"/> is false.</param>
/// <param name="HasStatus">False when lstat failed (the caller asks again and reports the error itself).</param>
public readonly record struct DirectoryEntry(byte[] Name, FileStatus Status, bool HasStatus);
