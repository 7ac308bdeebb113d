namespace Cairn.Storage;

/// <summary>Turns file-system exceptions into the storage contract's exceptions, in one place.</summary>
internal static class LocalErrors
{
    public static Exception Map(Exception e, ObjectName? name, string path) => e switch
    {
        StorageException or OperationCanceledException => e,
        FileNotFoundException or DirectoryNotFoundException when name is { } n => new ObjectNotFoundException(n),
        UnauthorizedAccessException => new StorageRefusedException($"access denied to {path}: {e.Message}"),
        IOException when IsDiskFull(e) => new StorageRefusedException($"no space left writing {path}: {e.Message}"),
        IOException => new StorageException($"I/O error on {path}: {e.Message}", isTransient: true, e),
        _ => e,
    };

    // ENOSPC (28) and EDQUOT (122) on Linux; ERROR_DISK_FULL (0x70) and ERROR_HANDLE_DISK_FULL (0x27) on Windows.
    private static bool IsDiskFull(Exception e) => (e.HResult & 0xFFFF) is 28 or 122 or 0x70 or 0x27
        || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase);
}
