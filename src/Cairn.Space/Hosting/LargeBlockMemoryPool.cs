using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Cairn.Space.Hosting;

/// <summary>
/// Kestrel's connection buffers in 64 KiB blocks instead of the framework's 4 KiB: a socket read fills at most one
/// block, so a pack upload of 16 MiB took about 4,000 <c>recv</c> calls and now takes about 250 (measured with
/// bench/cluster.sh: the kernel's per-call cost was most of a replica's CPU). Blocks are pinned (the socket reads
/// into them) and kept for reuse up to <see cref="MaxPooledBlocks"/>; beyond that a returned block is left to the GC.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    private const int MaxPooledBlocks = 512; // 32 MiB kept at most per pool
    private readonly ConcurrentQueue<Block> _free = new();
    private int _pooled;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _pooled);
            block.Rented();
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        _free.Clear();
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _pooled) <= MaxPooledBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        private int _returned;

        public Memory<byte> Memory => Volatile.Read(ref _returned) == 0
            ? _array
            : throw new ObjectDisposedException(nameof(LargeBlockMemoryPool), "a block was used after it went back to the pool");

        public void Rented() => Volatile.Write(ref _returned, 0);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                pool.Return(this);
            }
        }
    }
}

/// <summary>Gives Kestrel (and whatever else asks the container) <see cref="LargeBlockMemoryPool"/>s.</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
