using System.Collections.Concurrent;
using AwesomeAssertions;
using Xunit;

namespace Cairn.Storage.Testing;

/// <summary>
/// Many writers and listers at once, as kopia's blob test kit runs them: what one client relies on must hold while
/// others work on the same repository (several backups into one repository, or replicas of a server).
/// </summary>
public abstract partial class ObjectStoreConformanceTests
{
    private const int Writers = 8;
    private const int Listers = 3;
    private const int ObjectsPerWriter = 6;

    [Fact]
    public async Task Many_writers_and_listers_at_once_keep_every_promise()
    {
        var store = await NewStoreAsync();
        var shared = TestObject.Random(ObjectKind.Pack, 200_000);
        var guarded = TestObject.Random(ObjectKind.Index, 3000);
        await guarded.SaveToAsync(store, Ct);
        if (ConcurrentSameObjectSavesUnsupported is not null)
        {
            await shared.SaveToAsync(store, Ct); // such a server shows uploads in progress: only saves of a stored object may race
        }

        var own = Enumerable.Range(0, Writers).Select(w => Enumerable.Range(0, ObjectsPerWriter)
            .Select(i => TestObject.Random(KindFor(i), ObjectSize(w, i))).ToList()).ToList();
        var sizes = own.SelectMany(o => o).Append(shared).Append(guarded).ToDictionary(o => o.Name, o => (long)o.Content.Length);
        var saved = new ConcurrentDictionary<ObjectName, byte>([new(guarded.Name, 0)]);
        var refusals = 0;
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        async Task WriteAsync(int writer)
        {
            foreach (var o in own[writer])
            {
                await o.SaveToAsync(store, Ct);
                saved.TryAdd(o.Name, 0);
                if (o == own[writer][ObjectsPerWriter / 2])
                {
                    await shared.SaveToAsync(store, Ct); // every writer saves the same object, with the same bytes
                    saved.TryAdd(shared.Name, 0);
                    try
                    {
                        await store.SaveAsync(guarded.Name, new byte[1000 + writer], Ct); // and tries to replace one
                    }
                    catch (ObjectExistsException)
                    {
                        Interlocked.Increment(ref refusals);
                    }
                }
            }
        }

        async Task ListWhileOthersWriteAsync()
        {
            while (!writing.IsCancellationRequested)
            {
                var before = saved.Keys.ToList();
                var listed = new List<ObjectInfo>();
                foreach (var kind in new[] { ObjectKind.Pack, ObjectKind.Index, ObjectKind.Snapshot })
                {
                    listed.AddRange(await store.ListAllAsync(kind, Ct));
                }

                listed.Select(i => i.Name).Should().OnlyHaveUniqueItems("a listing names each object once, even while others write");
                listed.Select(i => i.Name).Should().Contain(before.Where(n => n.Kind is ObjectKind.Pack or ObjectKind.Index or ObjectKind.Snapshot),
                    "an object whose save returned is listed from then on");
                if (ConcurrentSameObjectSavesUnsupported is null)
                {
                    foreach (var info in listed)
                    {
                        sizes.Should().Contain(info.Name, info.Size, "a listing shows only whole objects");
                    }
                }
            }
        }

        var listers = Enumerable.Range(0, Listers).Select(_ => Task.Run(ListWhileOthersWriteAsync, Ct)).ToList();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(w), Ct)));
        }
        finally
        {
            await writing.CancelAsync();
            await Task.WhenAll(listers);
        }

        refusals.Should().Be(Writers, "an object of another length never replaces a stored one");
        foreach (var kind in ObjectKinds.All)
        {
            (await ListAsync(store, kind)).Should().BeEquivalentTo(sizes.Where(p => p.Key.Kind == kind).ToDictionary());
        }

        foreach (var o in own.SelectMany(o => o).Append(shared).Append(guarded))
        {
            (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content, $"{o.Name} keeps the bytes it was saved with");
        }

        await AssertNoLeftoversAsync(store);
    }

    private static ObjectKind KindFor(int i) => (i % 3) switch
    {
        0 => ObjectKind.Pack,
        1 => ObjectKind.Index,
        _ => ObjectKind.Snapshot,
    };

    /// <summary>Mostly small objects; two writers also save one of 6 MiB (several parts where a backend uploads in parts).</summary>
    private static int ObjectSize(int writer, int i) => writer < 2 && i == 0 ? 6 << 20 : 1000 + (writer * 7919) + (i * 104_729 % 50_000);
}
