using System.Collections.Concurrent;

namespace Cairn.Repository;

/// <summary>
/// A few reusable buffers of one exact size, for the largest per-blob scratch space. Unlike the shared
/// ArrayPool, which rounds up to powers of two and keeps buffers per core, this holds only as many buffers as
/// were ever in use at once, each no larger than needed.
/// </summary>
internal sealed class BufferBag(int size)
{
    private readonly ConcurrentBag<byte[]> _free = [];

    public int Size => size;

    public byte[] Rent() => _free.TryTake(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(size);

    public void Return(byte[] buffer)
    {
        if (buffer.Length == size)
        {
            _free.Add(buffer);
        }
    }
}
