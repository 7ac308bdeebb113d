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

    // Idle buffers, counted here: ConcurrentBag.Count takes every thread's lock, too much for a call per blob.
    private int _idle;

    public int Size => size;

    public byte[] Rent()
    {
        if (_free.TryTake(out var buffer))
        {
            Interlocked.Decrement(ref _idle);
            return buffer;
        }

        return GC.AllocateUninitializedArray<byte>(size);
    }

    /// <summary>Takes a buffer back; beyond <c>keep</c> idle ones (a burst of saves) it is left to the collector.</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length != size)
        {
            return;
        }

        if (Interlocked.Increment(ref _idle) <= keep)
        {
            _free.Add(buffer);
        }
        else
        {
            Interlocked.Decrement(ref _idle);
        }
    }
}
