namespace Cairn.Bench.Corpus;

internal enum ContentKind
{
    Source,
    Log,
    GzipArchive,
    ZstdArchive,
    Random,
    Blocks,
    Copy,
    Shifted,
}

/// <summary>
/// One corpus file: its content is the first <see cref="Size"/> bytes of the stream that <see cref="Kind"/> and
/// <see cref="Seed"/> define, so a copy of another file can be written by replaying that file's stream.
/// </summary>
internal sealed record FileSpec(string Path, ContentKind Kind, long Size, ulong Seed, long MtimeUnixSeconds, FileSpec? Source = null, int Prefix = 0);
