using System.Buffers.Text;

namespace Cairn.Bench.Corpus;

/// <summary>A reusable byte buffer that text is appended to, with chainable appends.</summary>
internal sealed class TextBuffer(int capacity)
{
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();
    private readonly byte[] _bytes = new byte[capacity];

    public int Position { get; private set; }

    public int Room => _bytes.Length - Position;

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Position);

    public void Clear() => Position = 0;

    public TextBuffer Put(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_bytes.AsSpan(Position));
        Position += bytes.Length;
        return this;
    }

    public TextBuffer Put(byte b)
    {
        _bytes[Position++] = b;
        return this;
    }

    public TextBuffer Spaces(int count)
    {
        _bytes.AsSpan(Position, count).Fill((byte)' ');
        Position += count;
        return this;
    }

    public TextBuffer Number(long value)
    {
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(Position), out var written);
        Position += written;
        return this;
    }

    public TextBuffer HexNumber(ulong value)
    {
        for (var shift = 60; shift >= 0; shift -= 4)
        {
            _bytes[Position++] = Hex[(int)((value >> shift) & 0xF)];
        }

        return this;
    }

    public TextBuffer Time(DateTime time)
    {
        Utf8Formatter.TryFormat(time, _bytes.AsSpan(Position), out var written, new System.Buffers.StandardFormat('O'));
        Position += written;
        return this;
    }
}
