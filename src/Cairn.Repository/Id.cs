using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cairn.Repository;

/// <summary>
/// A 32-byte SHA-256 identifier: of a blob's plaintext, or of a stored file's bytes (docs/format.md, "Identifiers").
/// Stored as four big-endian words so ordering equals byte order and no array is allocated per ID.
/// </summary>
public readonly struct Id : IEquatable<Id>, IComparable<Id>
{
    /// <summary>Bytes in an id (SHA-256).</summary>
    public const int Size = 32;

    private readonly ulong _w0, _w1, _w2, _w3;

    /// <summary>An id from its 32 bytes.</summary>
    public Id(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException("an ID is 32 bytes", nameof(bytes));
        }

        _w0 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _w1 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _w2 = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _w3 = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>The all-zero id (no id).</summary>
    public static Id Zero => default;

    /// <summary>The first 8 bytes as a big-endian number: IDs sort by it first.</summary>
    internal ulong Prefix => _w0;

    /// <summary>Whether this is <see cref="Zero"/>.</summary>
    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    /// <summary>The SHA-256 of the data: how blobs and files are named.</summary>
    public static Id Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return new Id(digest);
    }

    /// <summary>A random id, for names that are not content hashes.</summary>
    public static Id Random()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        return new Id(bytes);
    }

    /// <summary>Writes the 32 bytes to <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>Parses 64 hex digits; throws on anything else.</summary>
    public static Id Parse(ReadOnlySpan<char> hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not a 64-character hexadecimal ID");

    /// <summary>Parses 64 hex digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out Id id)
    {
        id = default;
        if (hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new Id(bytes);
        return true;
    }

    /// <summary>Parses 64 hexadecimal digits given as UTF-8 (as JSON holds them), without making a string.</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> hex, out Id id)
    {
        id = default;
        if (hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new Id(bytes);
        return true;
    }

    /// <summary>Whether the lowercase hex form starts with <paramref name="prefix"/>.</summary>
    public bool HasPrefix(string prefix) => ToString().StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first 8 hex digits, as restic shows ids.</summary>
    public string Short => ToString()[..8];

    /// <summary>Writes the 64 lowercase hexadecimal characters as UTF-8 (no string is made).</summary>
    public void FormatHexUtf8(Span<byte> destination64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination64.Length, Size * 2, nameof(destination64));
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        for (var i = 0; i < Size; i++)
        {
            destination64[2 * i] = (byte)"0123456789abcdef"[bytes[i] >> 4];
            destination64[(2 * i) + 1] = (byte)"0123456789abcdef"[bytes[i] & 0xF];
        }
    }

    /// <summary>The 64 lower-case hex digits.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc/>
    public bool Equals(Id other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Id other && Equals(other);
    /// <inheritdoc/>
    public override int GetHashCode() => (int)_w0 ^ (int)(_w0 >> 32);

    /// <inheritdoc/>
    public int CompareTo(Id other)
    {
        var c = _w0.CompareTo(other._w0);
        if (c != 0)
        {
            return c;
        }

        c = _w1.CompareTo(other._w1);
        if (c != 0)
        {
            return c;
        }

        c = _w2.CompareTo(other._w2);
        return c != 0 ? c : _w3.CompareTo(other._w3);
    }

    /// <summary>Whether two ids are equal.</summary>
    public static bool operator ==(Id left, Id right) => left.Equals(right);
    /// <summary>Whether two ids differ.</summary>
    public static bool operator !=(Id left, Id right) => !left.Equals(right);
    /// <summary>Byte-wise order, as restic sorts ids.</summary>
    public static bool operator <(Id left, Id right) => left.CompareTo(right) < 0;
    /// <summary>Byte-wise order, as restic sorts ids.</summary>
    public static bool operator >(Id left, Id right) => left.CompareTo(right) > 0;
    /// <summary>Byte-wise order, as restic sorts ids.</summary>
    public static bool operator <=(Id left, Id right) => left.CompareTo(right) <= 0;
    /// <summary>Byte-wise order, as restic sorts ids.</summary>
    public static bool operator >=(Id left, Id right) => left.CompareTo(right) >= 0;
}
