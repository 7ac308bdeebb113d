using Cairn.Space.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void A_returned_block_is_rented_again_and_every_block_is_whole()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent(100);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, first.Memory.Length);
        first.Memory.Span[0] = 42;
        first.Dispose();

        using var second = pool.Rent();

        Assert.Equal(LargeBlockMemoryPool.BlockSize, second.Memory.Length);
        Assert.Equal(42, second.Memory.Span[0]); // the same block came back from the pool
    }

    [Fact]
    public void A_block_used_after_it_went_back_is_refused_and_a_second_return_is_ignored()
    {
        using var pool = new LargeBlockMemoryPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose(); // once only: the block is not queued twice

        Assert.Throws<ObjectDisposedException>(() => block.Memory);
        using var a = pool.Rent();
        using var b = pool.Rent();
        Assert.NotSame(a, b);
    }

    [Fact]
    public void More_than_a_block_is_refused()
    {
        using var pool = new LargeBlockMemoryPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void Space_gives_kestrel_the_large_block_pools()
    {
        using var services = new ServiceCollection().AddSpaceHosting().BuildServiceProvider();

        using var pool = services.GetRequiredService<IMemoryPoolFactory<byte>>().Create();

        Assert.IsType<LargeBlockMemoryPool>(pool);
    }
}
