using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Cairn.Platform.Internal;

namespace Cairn.Platform;

public static partial class PosixFileSystem
{
    private const int MaxAccountBuffer = 1 << 20;

    // Offsets in struct passwd / struct group on 64-bit glibc: the name pointer first, the id after two pointers.
    private const int AccountNameOffset = 0;
    private const int AccountIdOffset = 16;

    // pw_gid follows pw_uid in struct passwd.
    private const int PrimaryGroupOffset = 20;

    private static readonly ConcurrentDictionary<uint, string?> UserNames = new();
    private static readonly ConcurrentDictionary<uint, string?> GroupNames = new();
    private static readonly ConcurrentDictionary<string, uint?> UserIds = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, uint?> GroupIds = new(StringComparer.Ordinal);

    /// <summary>A getpw*_r or getgr*_r call: fills entry from buffer, sets *result, returns 0 or an error number.</summary>
    private unsafe delegate int AccountCall(byte* entry, byte* buffer, nuint size, byte** result);

    /// <summary>The user's name from the system's user database (NSS), or null when the id has none. Cached.</summary>
    public static unsafe string? UserName(uint uid) =>
        UserNames.GetOrAdd(uid, static id => LookUp((e, b, s, r) => LibC.GetPwUidR(id, e, b, s, r), ReadName));

    /// <summary>The group's name from the system's group database (NSS), or null when the id has none. Cached.</summary>
    public static unsafe string? GroupName(uint gid) =>
        GroupNames.GetOrAdd(gid, static id => LookUp((e, b, s, r) => LibC.GetGrGidR(id, e, b, s, r), ReadName));

    /// <summary>The uid of a user name, or null when there is no such user. Cached.</summary>
    public static unsafe uint? UserId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return UserIds.GetOrAdd(name, static n => Terminate(n) is { } terminated
            ? LookUp((e, b, s, r) =>
            {
                fixed (byte* p = terminated)
                {
                    return LibC.GetPwNamR(p, e, b, s, r);
                }
            }, ReadId)
            : null);
    }

    /// <summary>A user's uid and primary gid, or null when there is no such user. Not cached: an operator may add the user while we run.</summary>
    public static unsafe (uint Uid, uint Gid)? UserAccount(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Terminate(name) is not { } terminated)
        {
            return null;
        }

        return LookUp<(uint, uint)?>((e, b, s, r) =>
        {
            fixed (byte* p = terminated)
            {
                return LibC.GetPwNamR(p, e, b, s, r);
            }
        }, static entry => (*(uint*)(entry + AccountIdOffset), *(uint*)(entry + PrimaryGroupOffset)));
    }

    /// <summary>The gid of a group name, or null when there is no such group. Cached.</summary>
    public static unsafe uint? GroupId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return GroupIds.GetOrAdd(name, static n => Terminate(n) is { } terminated
            ? LookUp((e, b, s, r) =>
            {
                fixed (byte* p = terminated)
                {
                    return LibC.GetGrNamR(p, e, b, s, r);
                }
            }, ReadId)
            : null);
    }

    private static unsafe string? ReadName(nint entry) =>
        Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(*(byte**)(entry + AccountNameOffset)));

    private static unsafe uint? ReadId(nint entry) => *(uint*)(entry + AccountIdOffset);

    private static byte[]? Terminate(string name)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var terminated = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, terminated);
        return terminated;
    }

    /// <summary>
    /// Runs the call with a growing buffer and reads the entry while the buffer it points into is pinned.
    /// Default when there is no entry or the database cannot be read.
    /// </summary>
    private static unsafe T? LookUp<T>(AccountCall call, Func<nint, T> read)
    {
        byte* entry = stackalloc byte[LibC.AccountEntrySize];
        for (int size = 1024; size <= MaxAccountBuffer; size *= 2)
        {
            var buffer = new byte[size];
            fixed (byte* b = buffer)
            {
                byte* result = null;
                int rc = call(entry, b, (nuint)size, &result);
                if (rc == Errno.ERANGE)
                {
                    continue;
                }
                return rc == 0 && result != null ? read((nint)result) : default;
            }
        }
        return default;
    }
}
