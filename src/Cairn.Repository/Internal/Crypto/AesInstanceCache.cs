using System.Security.Cryptography;

namespace Cairn.Repository.Internal.Crypto;

/// <summary>
/// A few <see cref="Aes"/> instances per thread, keyed by their key bytes. <see cref="Aes"/> objects are not
/// thread-safe and setting a key has a cost, so each thread keeps the handful of keys it uses most recently
/// (a repository uses one master key and, while opening, one key-file key).
/// </summary>
internal static class AesInstanceCache
{
    private const int Capacity = 4;

    [ThreadStatic]
    private static Entry[]? t_entries;

    [ThreadStatic]
    private static int t_nextVictim;

    /// <summary>
    /// Returns an <see cref="Aes"/> with the given key, owned by the calling thread. Use it only before the
    /// next call into this cache from the same thread.
    /// </summary>
    public static Aes Get(ReadOnlySpan<byte> key)
    {
        var entries = t_entries ??= new Entry[Capacity];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry is not null && entry.Key.AsSpan().SequenceEqual(key))
            {
                return entry.Aes;
            }
        }

        var aes = Aes.Create();
        aes.Key = key.ToArray();
        var slot = t_nextVictim;
        t_nextVictim = (slot + 1) % Capacity;
        entries[slot]?.Aes.Dispose();
        entries[slot] = new Entry(key.ToArray(), aes);
        return aes;
    }

    private sealed record Entry(byte[] Key, Aes Aes);
}
