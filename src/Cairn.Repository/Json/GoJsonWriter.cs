using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cairn.Repository.Json;

/// <summary>
/// Writes JSON byte for byte as Go's encoding/json does (HTML-safe escaping of &lt; &gt; &amp;, U+2028/U+2029,
/// invalid UTF-8 as U+FFFD), so tree blobs have the same IDs restic would give them (docs/format.md, "Trees").
/// </summary>
internal sealed class GoJsonWriter(IBufferWriter<byte> output)
{
    private bool _needComma;

    private void Raw(ReadOnlySpan<byte> bytes) => output.Write(bytes);

    private void Raw(byte b)
    {
        var span = output.GetSpan(1);
        span[0] = b;
        output.Advance(1);
    }

    private void Separator()
    {
        if (_needComma)
        {
            Raw((byte)',');
        }
    }

    public void StartObject()
    {
        Separator();
        Raw((byte)'{');
        _needComma = false;
    }

    public void EndObject()
    {
        Raw((byte)'}');
        _needComma = true;
    }

    public void StartArray()
    {
        Separator();
        Raw((byte)'[');
        _needComma = false;
    }

    public void EndArray()
    {
        Raw((byte)']');
        _needComma = true;
    }

    public void PropertyName(ReadOnlySpan<byte> utf8Name)
    {
        Separator();
        Raw((byte)'"');
        Raw(utf8Name);
        Raw("\":"u8);
        _needComma = false;
    }

    public void Null()
    {
        Separator();
        Raw("null"u8);
        _needComma = true;
    }

    public void Number(ulong value)
    {
        Separator();
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Raw(digits[..n]);
        _needComma = true;
    }

    public void Number(long value)
    {
        Separator();
        Span<byte> digits = stackalloc byte[21];
        value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Raw(digits[..n]);
        _needComma = true;
    }

    public void String(string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length <= 512)
        {
            Span<byte> utf8 = stackalloc byte[length];
            String(utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
        }
        else
        {
            String(Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>Printable ASCII that Go's encoder writes as is: everything from space to '~' but '"', '\\', '&lt;', '&gt;', '&amp;'.</summary>
    private static readonly SearchValues<byte> s_plain = SearchValues.Create(
        " !#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    public void String(ReadOnlySpan<byte> utf8)
    {
        Separator();
        Raw((byte)'"');
        var i = 0;
        while (i < utf8.Length)
        {
            // Copy the run of bytes that need no escaping in one go.
            var run = utf8[i..].IndexOfAnyExcept(s_plain);
            if (run != 0)
            {
                var take = run < 0 ? utf8.Length - i : run;
                Raw(utf8.Slice(i, take));
                i += take;
                continue;
            }

            var b = utf8[i];
            if (b < 0x80)
            {
                switch (b)
                {
                    case (byte)'"': Raw("\\\""u8); break;
                    case (byte)'\\': Raw("\\\\"u8); break;
                    case (byte)'\n': Raw("\\n"u8); break;
                    case (byte)'\r': Raw("\\r"u8); break;
                    case (byte)'\t': Raw("\\t"u8); break;
                    case (byte)'<' or (byte)'>' or (byte)'&':
                        EscapeU(b);
                        break;
                    default:
                        if (b < 0x20)
                        {
                            EscapeU(b);
                        }
                        else
                        {
                            Raw(b);
                        }

                        break;
                }

                i++;
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8[i..], out var rune, out var width) != OperationStatus.Done)
            {
                Raw("\\ufffd"u8);
                i++;
                continue;
            }

            if (rune.Value is 0x2028 or 0x2029)
            {
                EscapeU(rune.Value);
            }
            else
            {
                Raw(utf8.Slice(i, width));
            }

            i += width;
        }

        Raw((byte)'"');
        _needComma = true;
    }

    private void EscapeU(int value)
    {
        Span<byte> hex = stackalloc byte[6];
        hex[0] = (byte)'\\';
        hex[1] = (byte)'u';
        const string digits = "0123456789abcdef";
        hex[2] = (byte)digits[(value >> 12) & 0xf];
        hex[3] = (byte)digits[(value >> 8) & 0xf];
        hex[4] = (byte)digits[(value >> 4) & 0xf];
        hex[5] = (byte)digits[value & 0xf];
        Raw(hex);
    }

    public void NewLine() => Raw((byte)'\n');
}
