using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Repository.Tests.Locks;

/// <summary>With read-after-write stores no settle wait is needed: two racing lockers never both hold conflicting locks.</summary>
public sealed class LockRaceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cairn-lockrace-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Two_processes_racing_for_an_exclusive_lock_never_both_get_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new RepositoryOptions { Kdf = KdfParameters.Fast };
        await using (await ResticRepository.InitAsync(new LocalObjectStore(_root), "pw", options, ct))
        {
        }

        // Two independent openings of one repository stand for two processes (other host names, so no
        // process-liveness shortcut applies).
        await using var first = await ResticRepository.OpenAsync(new LocalObjectStore(_root), "pw", options with { Hostname = "host-a" }, ct);
        await using var second = await ResticRepository.OpenAsync(new LocalObjectStore(_root), "pw", options with { Hostname = "host-b" }, ct);
        var bothHeld = 0;
        var oneHeld = 0;
        for (var round = 0; round < 60; round++)
        {
            var a = TryLockAsync(first, exclusive: true, ct);
            var b = TryLockAsync(second, exclusive: round % 2 == 0, ct);
            var locks = await Task.WhenAll(a, b);
            if (locks[0] is not null && locks[1] is not null)
            {
                bothHeld++;
            }
            else if (locks[0] is not null || locks[1] is not null)
            {
                oneHeld++;
            }

            foreach (var held in locks)
            {
                if (held is not null)
                {
                    await held.DisposeAsync();
                }
            }
        }

        bothHeld.Should().Be(0);
        oneHeld.Should().BeGreaterThan(0, "the race must let someone win sometimes, or it tests nothing");
        Directory.EnumerateFiles(Path.Combine(_root, "locks")).Should().BeEmpty("every lock taken was released, every refused one removed");
    }

    private static async Task<RepositoryLock?> TryLockAsync(ResticRepository repository, bool exclusive, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            return await RepositoryLock.AcquireAsync(repository, exclusive, ct);
        }
        catch (RepositoryLockedException)
        {
            return null;
        }
    }
}
