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

    // .NET puts the errno in HResult on Unix: ENOSPC (28), EDQUOT (122 on Linux, 69 on macOS).
    // On Windows the HRESULT wraps ERROR_HANDLE_DISK_FULL (0x27) or ERROR_DISK_FULL (0x70).
    private static bool IsDiskFull(Exception e) => OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is 0x27 or 0x70
        : e.HResult is 28 || (OperatingSystem.IsMacOS() ? e.HResult is 69 : e.HResult is 122);
}
