using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository.Access;

/// <summary>
/// One key file whose scrypt cost is known before scrypt runs, so a caller that serves many owners can bound the
/// memory and work it spends on passwords (docs/format.md, "Keys": memory is 128·r·N bytes, work that times p).
/// </summary>
public sealed class KeyCandidate
{
    private readonly KeyFile _file;

    internal KeyCandidate(ObjectName name, KeyFile file)
    {
        Name = name;
        _file = file;
        var memory = 128 * (Int128)file.R * file.N;
        MemoryBytes = (long)Int128.Min(memory, long.MaxValue);
        WorkBytes = (long)Int128.Min(memory * file.P, long.MaxValue);
    }

    /// <summary>The most memory the engine lets scrypt take for one key file (docs/format.md, "Keys").</summary>
    public const long MaxMemoryBytes = KeyRing.MaxScryptMemoryBytes;

    /// <summary>The key file's name in the store.</summary>
    public ObjectName Name { get; }

    /// <summary>The memory scrypt needs for this key file.</summary>
    public long MemoryBytes { get; }

    /// <summary>The memory scrypt sweeps in all (its memory times its parallelism).</summary>
    public long WorkBytes { get; }

    /// <summary>The master key when <paramref name="password"/> opens this key file, else null. Runs scrypt.</summary>
    public UnlockedKey? TryUnlock(string password) =>
        KeyRing.TryOpenKeyFile(_file, password, Name.ToString()) is { } master ? new UnlockedKey(master, Id.Parse(Name.Name)) : null;

    /// <summary>Whether the parameters are scrypt's and sane: absurd N, r or p are refused here, not found out by the CPU.</summary>
    internal static bool IsUsable(KeyFile file) =>
        file.Kdf == "scrypt" && file.N >= 2 && System.Numerics.BitOperations.IsPow2(file.N) && file.R >= 1 && file.P >= 1;
}
