using Cairn.Maintenance.Inspection;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Tests.Inspection;

public sealed class BlobContentStreamTests
{
    [Fact]
    public async Task Reads_a_file_across_blobs_and_seeks_to_any_position()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var repository = await Cairn.Repository.ResticRepository.InitAsync(new InMemoryObjectStore(), "pw", new RepositoryOptions { Kdf = KdfParameters.Fast }, ct);
        var random = new Random(3);
        var parts = new[] { 1000, 1, 0, 70_000, 5 }.Select(n => { var b = new byte[n]; random.NextBytes(b); return b; }).ToArray();
        var ids = new List<Id>();
        foreach (var part in parts)
        {
            var id = Id.Hash(part);
            await repository.Blobs.SaveAsync(BlobType.Data, id, part, ct);
            ids.Add(id);
        }

        await repository.Blobs.FlushAsync(ct);
        var whole = parts.SelectMany(p => p).ToArray();

        await using var stream = new BlobContentStream(repository, ids);
        stream.Length.Should().Be(whole.Length);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);
        copy.ToArray().Should().Equal(whole);

        foreach (var position in new[] { 0L, 999, 1000, 1001, 50_000, whole.Length - 1, whole.Length })
        {
            stream.Position = position;
            stream.Position.Should().Be(position);
            var rest = new MemoryStream();
            await stream.CopyToAsync(rest, ct);
            rest.ToArray().Should().Equal(whole[(int)position..], $"reading from {position}");
        }
    }
}
