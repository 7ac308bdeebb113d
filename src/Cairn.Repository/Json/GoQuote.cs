using System.Globalization;
using System.Text;

namespace Cairn.Repository.Json;

/// <summary>
/// Go's strconv.Quote/Unquote without the surrounding quotes: how restic stores node names in trees so that
/// names that are not valid UTF-8 survive JSON (docs/format.md, "Trees"). Implemented from Go's documented rules.
/// </summary>
internal static class GoQuote
{
    /// <summary>Quotes raw name bytes: invalid UTF-8 bytes become \xNN, non-printable runes \a..\v, \xNN, \uXXXX or \UXXXXXXXX.</summary>
    public static string Quote(ReadOnlySpan<byte> raw)
    {
        // Most names are printable ASCII without quotes or backslashes: they stand for themselves.
        if (!raw.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e) && raw.IndexOfAny((byte)'"', (byte)'\\') < 0)
        {
            return Encoding.ASCII.GetString(raw);
        }

        var sb = new StringBuilder(raw.Length + 8);
        var i = 0;
        while (i < raw.Length)
        {
            var status = Rune.DecodeFromUtf8(raw[i..], out var rune, out var width);
            if (status != System.Buffers.OperationStatus.Done)
            {
                sb.Append("\\x").Append(raw[i].ToString("x2", CultureInfo.InvariantCulture));
                i++;
                continue;
            }

            i += width;
            AppendRune(sb, rune);
        }

        return sb.ToString();
    }

    private static void AppendRune(StringBuilder sb, Rune rune)
    {
        var v = rune.Value;
        if (v == '"' || v == '\\')
        {
            sb.Append('\\').Append((char)v);
            return;
        }

        if (IsPrint(rune))
        {
            sb.Append(rune.ToString());
            return;
        }

        switch (v)
        {
            case 7: sb.Append("\\a"); return;
            case 8: sb.Append("\\b"); return;
            case 12: sb.Append("\\f"); return;
            case 10: sb.Append("\\n"); return;
            case 13: sb.Append("\\r"); return;
            case 9: sb.Append("\\t"); return;
            case 11: sb.Append("\\v"); return;
        }

        if (v < ' ' || v == 0x7f)
        {
            sb.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture));
        }
        else if (v < 0x10000)
        {
            sb.Append("\\u").Append(v.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(v.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reverses <see cref="Quote"/>; accepts every escape Go's Unquote accepts. False when malformed.</summary>
    public static bool TryUnquote(string quoted, out byte[] raw)
    {
        if (!quoted.Contains('\\', StringComparison.Ordinal))
        {
            raw = Encoding.UTF8.GetBytes(quoted);
            return true;
        }

        var output = new List<byte>(quoted.Length);
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < quoted.Length)
        {
            var c = quoted[i];
            if (c != '\\')
            {
                if (!Rune.TryGetRuneAt(quoted, i, out var r))
                {
                    raw = [];
                    return false;
                }

                var n = r.EncodeToUtf8(utf8);
                for (var k = 0; k < n; k++)
                {
                    output.Add(utf8[k]);
                }

                i += r.Utf16SequenceLength;
                continue;
            }

            if (i + 1 >= quoted.Length)
            {
                raw = [];
                return false;
            }

            var e = quoted[i + 1];
            i += 2;
            switch (e)
            {
                case 'a': output.Add(7); break;
                case 'b': output.Add(8); break;
                case 'f': output.Add(12); break;
                case 'n': output.Add(10); break;
                case 'r': output.Add(13); break;
                case 't': output.Add(9); break;
                case 'v': output.Add(11); break;
                case '\\': output.Add((byte)'\\'); break;
                case '"': output.Add((byte)'"'); break;
                case '\'': output.Add((byte)'\''); break;
                case 'x':
                    if (!TryHex(quoted, i, 2, out var x)) { raw = []; return false; }
                    output.Add((byte)x);
                    i += 2;
                    break;
                case 'u':
                case 'U':
                    var digits = e == 'u' ? 4 : 8;
                    if (!TryHex(quoted, i, digits, out var cp) || !Rune.IsValid((int)cp)) { raw = []; return false; }
                    var count = new Rune((int)cp).EncodeToUtf8(utf8);
                    for (var k = 0; k < count; k++)
                    {
                        output.Add(utf8[k]);
                    }

                    i += digits;
                    break;
                case >= '0' and <= '7':
                    if (i + 1 >= quoted.Length + 0 && i + 1 > quoted.Length) { raw = []; return false; }
                    if (i + 2 > quoted.Length) { raw = []; return false; }
                    var octal = e - '0';
                    for (var k = 0; k < 2; k++)
                    {
                        var d = quoted[i + k];
                        if (d is < '0' or > '7') { raw = []; return false; }
                        octal = (octal * 8) + (d - '0');
                    }

                    if (octal > 255) { raw = []; return false; }
                    output.Add((byte)octal);
                    i += 2;
                    break;
                default:
                    raw = [];
                    return false;
            }
        }

        raw = [.. output];
        return true;
    }

    private static bool TryHex(string s, int start, int digits, out uint value)
    {
        value = 0;
        if (start + digits > s.Length)
        {
            return false;
        }

        return uint.TryParse(s.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
