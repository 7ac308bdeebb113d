using System.Runtime.InteropServices;

namespace Cairn.Platform;

/// <summary>A libc call failed. Carries the errno (compare with <see cref="Errno"/>) and the path it was about.</summary>
/// <remarks>The message reads like the shell's: "open /x/y: Permission denied".</remarks>
public sealed class PosixException : IOException
{
    /// <summary>A failed system call on a path.</summary>
    public PosixException(int errno, string operation, RawPath path)
        : this(errno, operation, path, null, Marshal.GetPInvokeErrorMessage(errno))
    {
    }

    /// <summary>For calls on two paths (rename, link): the message names both.</summary>
    public PosixException(int errno, string operation, RawPath path, RawPath otherPath)
        : this(errno, operation, path, otherPath, Marshal.GetPInvokeErrorMessage(errno))
    {
    }

    /// <param name="errno">The error number.</param>
    /// <param name="operation">The call that failed.</param>
    /// <param name="path">The path it was about; may be empty for calls on a descriptor.</param>
    /// <param name="otherPath">A second path, or null.</param>
    /// <param name="reason">What went wrong, usually strerror(errno); the message adds the operation and paths.</param>
    internal PosixException(int errno, string operation, RawPath path, RawPath? otherPath, string reason)
        : base(Describe(operation, path, otherPath, reason))
    {
        Errno = errno;
        Operation = operation;
        Path = path;
        OtherPath = otherPath;
    }

    /// <summary>The errno the call failed with (see <see cref="Cairn.Platform.Errno"/>).</summary>
    public int Errno { get; }

    /// <summary>What was attempted, in libc's words ("lstat", "open", "mkdir").</summary>
    public string Operation { get; }

    /// <summary>The path the call was on.</summary>
    public RawPath Path { get; }

    /// <summary>The second path of a two-path call (the new name of a rename or link), else null.</summary>
    public RawPath? OtherPath { get; }

    /// <summary>The error of the last libc call (errno), about <paramref name="path"/>.</summary>
    private static string Describe(string operation, RawPath path, RawPath? otherPath, string reason) =>
        (path.Length, otherPath) switch
        {
            (0, null) => $"{operation}: {reason}",
            (_, null) => $"{operation} {path}: {reason}",
            (_, { } other) => $"{operation} {path} {other}: {reason}",
        };

    internal static PosixException FromLastError(string operation, RawPath path) =>
        new(Marshal.GetLastPInvokeError(), operation, path);

    internal static PosixException FromLastError(string operation, RawPath path, RawPath otherPath) =>
        new(Marshal.GetLastPInvokeError(), operation, path, otherPath);
}
