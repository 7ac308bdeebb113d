using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Cairn.Platform;

/// <summary>
/// A Linux path as the kernel sees it: bytes without NUL, in no particular encoding.
/// Names that are not valid UTF-8 survive untouched, which a <see cref="string"/> path would not.
/// </summary>
/// <remarks>The bytes are kept with a trailing NUL so they can go to libc without copying.</remarks>
public readonly struct RawPath : IEquatable<RawPath>
{
    private const byte Slash = (byte)'/';
    internal static readonly byte[] EmptyTerminated = [0];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[]? _terminated;

    /// <exception cref="ArgumentException">The bytes contain a NUL.</exception>
    public RawPath(byte[] bytes)
        : this(Terminate(bytes), false)
    {
    }

    /// <exception cref="ArgumentException">The bytes contain a NUL.</exception>
    public RawPath(ReadOnlySpan<byte> bytes)
        : this(Terminate(bytes), false)
    {
    }

    private RawPath(byte[] terminated, bool _) => _terminated = terminated;

    /// <summary>The path encoded as UTF-8.</summary>
    /// <exception cref="ArgumentException">The string contains a NUL or a lone surrogate.</exception>
    public static RawPath FromString(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new RawPath(StrictUtf8.GetBytes(path));
    }

    /// <summary>The path's bytes without the terminating NUL.</summary>
    public ReadOnlySpan<byte> Bytes => Terminated[..^1];

    /// <summary>The path's length in bytes.</summary>
    public int Length => Terminated.Length - 1;

    /// <summary>Whether the path starts with a slash.</summary>
    public bool IsAbsolute => Length > 0 && Terminated[0] == Slash;

    /// <summary>Whether the bytes are valid UTF-8 (a Linux name need not be).</summary>
    public bool IsValidUtf8 => Utf8.IsValid(Bytes);

    /// <summary>The path followed by a NUL, for passing to libc.</summary>
    internal ReadOnlySpan<byte> Terminated => _terminated ?? EmptyTerminated;

    /// <summary>Appends "/" and one name (no "/" added after a path that already ends in one).</summary>
    /// <exception cref="ArgumentException">The name is empty, ".", "..", or contains "/" or NUL.</exception>
    public RawPath Join(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.IndexOfAny(Slash, (byte)0) >= 0 || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
        {
            throw new ArgumentException($"not a single file name: \"{Display(name)}\"", nameof(name));
        }
        var bytes = Bytes;
        bool separator = !bytes.IsEmpty && bytes[^1] != Slash;
        var joined = new byte[bytes.Length + (separator ? 1 : 0) + name.Length + 1];
        bytes.CopyTo(joined);
        if (separator)
        {
            joined[bytes.Length] = Slash;
        }
        name.CopyTo(joined.AsSpan(joined.Length - 1 - name.Length));
        return new RawPath(joined, false);
    }

    /// <summary>The path without its last name, like dirname(1): "/a/b" → "/a", "/a" → "/", "a" → ".", "/" → "/".</summary>
    public RawPath Parent
    {
        get
        {
            var trimmed = TrimTrailingSlashes(Bytes);
            if (trimmed.IsEmpty)
            {
                return IsAbsolute ? this : FromString(".");
            }
            int slash = trimmed.LastIndexOf(Slash);
            if (slash < 0)
            {
                return FromString(".");
            }
            var parent = TrimTrailingSlashes(trimmed[..slash]);
            return parent.IsEmpty ? FromString("/") : new RawPath(parent);
        }
    }

    /// <summary>The last name, ignoring trailing slashes, like basename(1); "/" for the root, empty for an empty path.</summary>
    public ReadOnlySpan<byte> FileName
    {
        get
        {
            var trimmed = TrimTrailingSlashes(Bytes);
            if (trimmed.IsEmpty)
            {
                return IsAbsolute ? Bytes[..1] : [];
            }
            return trimmed[(trimmed.LastIndexOf(Slash) + 1)..];
        }
    }

    /// <summary>A copy of the path's bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>For messages: valid UTF-8 as it is, every byte of an invalid sequence as \xNN.</summary>
    public override string ToString() => Display(Bytes);

    /// <inheritdoc/>
    public bool Equals(RawPath other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RawPath other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>Whether two paths have the same bytes.</summary>
    public static bool operator ==(RawPath left, RawPath right) => left.Equals(right);

    /// <summary>Whether two paths differ in their bytes.</summary>
    public static bool operator !=(RawPath left, RawPath right) => !left.Equals(right);

    /// <summary>Bytes shown as text: valid UTF-8 as it is, invalid bytes as \xNN.</summary>
    public static string Display(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }
        var text = new StringBuilder(bytes.Length + 16);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            if (status == OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                foreach (byte b in bytes[..consumed])
                {
                    text.Append($"\\x{b:x2}");
                }
            }
            bytes = bytes[consumed..];
        }
        return text.ToString();
    }

    private static ReadOnlySpan<byte> TrimTrailingSlashes(ReadOnlySpan<byte> bytes) => bytes.TrimEnd(Slash);

    private static byte[] Terminate(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Terminate(bytes.AsSpan());
    }

    private static byte[] Terminate(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0))
        {
            throw new ArgumentException($"a path cannot contain NUL: \"{Display(bytes)}\"", nameof(bytes));
        }
        var terminated = new byte[bytes.Length + 1];
        bytes.CopyTo(terminated);
        return terminated;
    }
}
