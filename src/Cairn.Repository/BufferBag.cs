using System.Collections.Concurrent;

namespace Cairn.Repository;

/// <summary>
/// A few reusable buffers of one exact size, for per-blob scratch space. Unlike the shared ArrayPool, which
/// rounds up to powers of two and keeps buffers per core and per thread, this holds at most a fixed number of idle
/// buffers, each no larger than needed. Memory is uninitialized: only what blobs have used is ever touched.
/// </summary>
internal sealed class BufferBag(int size, int keep)
{
    private readonly ConcurrentBag<byte[]> _free = [];

    public int Size => size;

    public byte[] Rent() => _free.TryTake(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(size);

    /// <summary>Takes a buffer back; beyond <c>keep</c> idle ones (a burst of saves) it is left to the collector.</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length == size && _free.Count < keep)
        {
            _free.Add(buffer);
        }
    }
}
