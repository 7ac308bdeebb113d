using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cairn.Platform;

/// <summary>
/// The escaping restic applies to node names in trees: the name's bytes quoted like Go's strconv.Quote,
/// without the surrounding quotes. Printable Unicode stays as it is; '"' and '\' get a backslash; control
/// characters become \n, \t, \x01 ...; other unprintable runes \uXXXX or \UXXXXXXXX; each byte that is not
/// valid UTF-8 becomes \xNN. <see cref="Unescape"/> reads it back as strictly as strconv.Unquote.
/// </summary>
/// <remarks>
/// "Printable" follows Go's unicode.IsPrint (categories L, M, N, P, S and the ASCII space) using .NET's Unicode
/// tables, which may know a few characters newer than the Go release that wrote a repository.
/// </remarks>
public static class GoQuote
{
    public static string Escape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length + 8);
        while (!raw.IsEmpty)
        {
            // Go decodes an invalid sequence one byte at a time; so does this.
            if (Rune.DecodeFromUtf8(raw, out var rune, out int consumed) != OperationStatus.Done)
            {
                text.Append($"\\x{raw[0]:x2}");
                raw = raw[1..];
                continue;
            }
            AppendEscaped(text, rune);
            raw = raw[consumed..];
        }
        return text.ToString();
    }

    /// <exception cref="FormatException">Not something Go's strconv.Unquote accepts between double quotes.</exception>
    public static byte[] Unescape(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        return TryUnescape(escaped, out var raw) ? raw : throw new FormatException($"not a Go-quoted name: \"{escaped}\"");
    }

    public static bool TryUnescape(string escaped, out byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        raw = [];
        var bytes = new List<byte>(escaped.Length);
        Span<byte> encoded = stackalloc byte[4];
        for (int i = 0; i < escaped.Length;)
        {
            char c = escaped[i];
            if (c is '"' or '\n')
            {
                return false;
            }
            if (c != '\\')
            {
                if (Rune.DecodeFromUtf16(escaped.AsSpan(i), out var rune, out int used) != OperationStatus.Done)
                {
                    return false;
                }
                bytes.AddRange(encoded[..rune.EncodeToUtf8(encoded)]);
                i += used;
                continue;
            }
            if (++i >= escaped.Length)
            {
                return false;
            }
            char kind = escaped[i++];
            switch (kind)
            {
                case 'a': bytes.Add(0x07); break;
                case 'b': bytes.Add(0x08); break;
                case 'f': bytes.Add(0x0c); break;
                case 'n': bytes.Add(0x0a); break;
                case 'r': bytes.Add(0x0d); break;
                case 't': bytes.Add(0x09); break;
                case 'v': bytes.Add(0x0b); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"': bytes.Add((byte)'"'); break;
                case 'x' or 'u' or 'U':
                    int digits = kind switch { 'x' => 2, 'u' => 4, _ => 8 };
                    if (i + digits > escaped.Length
                        || !uint.TryParse(escaped.AsSpan(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
                    {
                        return false;
                    }
                    i += digits;
                    if (kind == 'x')
                    {
                        bytes.Add((byte)value);
                    }
                    else if (Rune.TryCreate(value, out var escapedRune))
                    {
                        bytes.AddRange(encoded[..escapedRune.EncodeToUtf8(encoded)]);
                    }
                    else
                    {
                        return false;
                    }
                    break;
                case >= '0' and <= '7':
                    if (i + 2 > escaped.Length || !IsOctal(escaped[i]) || !IsOctal(escaped[i + 1]))
                    {
                        return false;
                    }
                    int octal = (kind - '0') * 64 + (escaped[i] - '0') * 8 + (escaped[i + 1] - '0');
                    if (octal > 0xff)
                    {
                        return false;
                    }
                    bytes.Add((byte)octal);
                    i += 2;
                    break;
                default:
                    return false;
            }
        }
        raw = [.. bytes];
        return true;
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(Rune rune)
    {
        int value = rune.Value;
        if (value <= 0xff)
        {
            return value is >= 0x20 and <= 0x7e || (value >= 0xa1 && value != 0xad);
        }
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
            _ => true,
        };
    }

    private static void AppendEscaped(StringBuilder text, Rune rune)
    {
        int value = rune.Value;
        if (value is '"' or '\\')
        {
            text.Append('\\').Append((char)value);
            return;
        }
        if (IsPrint(rune))
        {
            text.Append(rune.ToString());
            return;
        }
        switch (value)
        {
            case 0x07: text.Append("\\a"); break;
            case 0x08: text.Append("\\b"); break;
            case 0x0c: text.Append("\\f"); break;
            case 0x0a: text.Append("\\n"); break;
            case 0x0d: text.Append("\\r"); break;
            case 0x09: text.Append("\\t"); break;
            case 0x0b: text.Append("\\v"); break;
            case < 0x20 or 0x7f: text.Append($"\\x{value:x2}"); break;
            case < 0x10000: text.Append($"\\u{value:x4}"); break;
            default: text.Append($"\\U{value:x8}"); break;
        }
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
