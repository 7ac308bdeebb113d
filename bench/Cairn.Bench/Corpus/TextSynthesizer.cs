using System.Text;

namespace Cairn.Bench.Corpus;

/// <summary>
/// Writes plausible text a line at a time: source code, service logs and CSV records. Words are drawn from a fixed
/// vocabulary with a skew towards frequent ones, so zstd compresses the text about as well as it compresses real text.
/// </summary>
internal static class TextSynthesizer
{
    /// <summary>No line is longer than this, so a caller can stop once less room is left.</summary>
    public const int MaxLine = 512;

    private static readonly string[] Syllables =
    [
        "ac", "al", "an", "ar", "ba", "be", "ca", "co", "da", "de", "di", "do", "el", "en", "er", "fa", "fi", "ga", "ha", "in",
        "io", "is", "ka", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "no", "or", "pa", "pe", "pro", "qu", "ra",
        "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tr", "un", "va", "ve", "vi", "xy", "za",
    ];

    private static readonly byte[][] Keywords = Encode(
        "public", "private", "static", "readonly", "sealed", "class", "return", "if", "else", "for", "foreach", "while", "var",
        "new", "null", "true", "false", "await", "async", "using", "namespace", "const", "int", "long", "string", "bool", "void");

    private static readonly byte[][] Types = Encode("int", "long", "string", "bool", "Task", "Stream", "Span<byte>", "List<string>", "Id", "Node");
    private static readonly byte[][] Levels = Encode("INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR");
    private static readonly byte[][] Methods = Encode("GET", "GET", "POST", "PUT", "DELETE");
    private static readonly byte[][] Statuses = Encode("200", "200", "200", "204", "304", "404", "500");

    private static readonly byte[][] Lower;
    private static readonly byte[][] Capitalized;

    static TextSynthesizer()
    {
        // A fixed vocabulary: the corpus seed varies the text, not the language.
        var rng = new Xoshiro256StarStar(0x5EED_C0DE);
        Lower = new byte[2048][];
        Capitalized = new byte[Lower.Length][];
        for (var i = 0; i < Lower.Length; i++)
        {
            var word = new StringBuilder();
            var syllables = 1 + rng.Below(3);
            for (var s = 0; s < syllables; s++)
            {
                word.Append(Syllables[rng.Below(Syllables.Length)]);
            }

            var text = word.ToString();
            Lower[i] = Encoding.ASCII.GetBytes(text);
            Capitalized[i] = Encoding.ASCII.GetBytes(char.ToUpperInvariant(text[0]) + text[1..]);
        }
    }

    /// <summary>Appends whole lines of source code until the buffer has less than a line of room.</summary>
    public static void FillSource(Xoshiro256StarStar rng, TextBuffer w)
    {
        while (w.Room >= MaxLine)
        {
            var indent = rng.Below(5) * 4;
            switch (rng.Below(12))
            {
                case 0 or 1:
                    w.Spaces(indent).Put("var "u8).Put(Word(rng)).Put(" = "u8).Put(Word(rng)).Put((byte)'.').Put(Name(rng))
                        .Put((byte)'(').Put(Word(rng)).Put(", "u8).Number(rng.Below(4096)).Put(");\n"u8);
                    break;
                case 2:
                    w.Spaces(indent).Put("if ("u8).Put(Word(rng)).Put(" == null)\n"u8);
                    break;
                case 3:
                    w.Spaces(indent).Put("{\n"u8);
                    break;
                case 4:
                    w.Spaces(indent).Put("}\n"u8);
                    break;
                case 5:
                    w.Spaces(indent).Put("// "u8);
                    Words(w, rng, 3 + rng.Below(9));
                    w.Put((byte)'\n');
                    break;
                case 6:
                    w.Spaces(indent).Put(Keywords[rng.Below(6)]).Put((byte)' ').Put(Types[rng.Below(Types.Length)]).Put((byte)' ').Put(Name(rng))
                        .Put((byte)'(').Put(Types[rng.Below(Types.Length)]).Put((byte)' ').Put(Word(rng)).Put(")\n"u8);
                    break;
                case 7:
                    w.Put((byte)'\n');
                    break;
                case 8:
                    w.Spaces(indent).Put("return "u8).Put(Word(rng)).Put((byte)'.').Put(Name(rng)).Put(";\n"u8);
                    break;
                case 9:
                    w.Spaces(indent).Put("for (var i = 0; i < "u8).Put(Word(rng)).Put(".Length; i++)\n"u8);
                    break;
                case 10:
                    w.Spaces(indent).Put("await "u8).Put(Word(rng)).Put((byte)'.').Put(Name(rng)).Put("Async(\""u8);
                    Words(w, rng, 2 + rng.Below(5));
                    w.Put("\", cancellationToken);\n"u8);
                    break;
                default:
                    w.Spaces(indent).Put(Keywords[rng.Below(Keywords.Length)]).Put((byte)' ').Put(Name(rng)).Put(" = "u8)
                        .Put(Keywords[rng.Below(Keywords.Length)]).Put((byte)' ').Put(Word(rng)).Put(";\n"u8);
                    break;
            }
        }

    }

    /// <summary>Appends service log lines; <paramref name="clockMs"/> is the time of the last line, advanced per line.</summary>
    public static void FillLog(Xoshiro256StarStar rng, TextBuffer w, ref long clockMs)
    {
        while (w.Room >= MaxLine)
        {
            clockMs += rng.Below(1500);
            var time = DateTime.UnixEpoch.AddMilliseconds(clockMs);
            w.Time(time).Put((byte)' ').Put(Levels[rng.Below(Levels.Length)]).Put(" ["u8).Put(Word(rng)).Put("] "u8);
            switch (rng.Below(4))
            {
                case 0:
                    w.Put(Methods[rng.Below(Methods.Length)]).Put(" /api/"u8).Put(Word(rng)).Put((byte)'/').Number(rng.Below(100_000))
                        .Put(" status="u8).Put(Statuses[rng.Below(Statuses.Length)]).Put(" bytes="u8).Number(rng.Below(1 << 20))
                        .Put(" ms="u8).Number(rng.Below(900)).Put(" ip=10."u8).Number(rng.Below(256)).Put((byte)'.')
                        .Number(rng.Below(256)).Put((byte)'.').Number(rng.Below(256));
                    break;
                case 1:
                    w.Put("job "u8).Put(Word(rng)).Put(" finished id="u8).HexNumber(rng.Next()).Put(" took "u8).Number(rng.Below(60_000)).Put("ms"u8);
                    break;
                case 2:
                    w.Put("user "u8).Put(Word(rng)).Put(" session="u8).HexNumber(rng.Next()).Put(": "u8);
                    Words(w, rng, 3 + rng.Below(8));
                    break;
                default:
                    Words(w, rng, 4 + rng.Below(12));
                    break;
            }

            w.Put((byte)'\n');
        }

    }

    /// <summary>Appends CSV records that are half random, so they compress about 2:1 (the input of the archive files).</summary>
    public static void FillRecords(Xoshiro256StarStar rng, TextBuffer w)
    {
        while (w.Room >= MaxLine)
        {
            w.Number(rng.Below(10_000_000)).Put((byte)',').HexNumber(rng.Next()).HexNumber(rng.Next()).Put((byte)',')
                .Number(rng.Below(1_000_000)).Put((byte)'.').Number(rng.Below(100)).Put((byte)',').Put(Word(rng)).Put((byte)',')
                .Put(Word(rng)).Put((byte)',').HexNumber(rng.Next()).Put((byte)'\n');
        }

    }

    private static void Words(TextBuffer w, Xoshiro256StarStar rng, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                w.Put((byte)' ');
            }

            w.Put(Word(rng));
        }
    }

    /// <summary>A lowercase word, frequent ones far more often (a cube skews towards low indexes).</summary>
    private static byte[] Word(Xoshiro256StarStar rng)
    {
        var u = rng.NextDouble();
        return Lower[(int)(u * u * u * Lower.Length)];
    }

    private static byte[] Name(Xoshiro256StarStar rng)
    {
        var u = rng.NextDouble();
        return Capitalized[(int)(u * u * Capitalized.Length)];
    }

    private static byte[][] Encode(params string[] words) => [.. words.Select(Encoding.ASCII.GetBytes)];
}
