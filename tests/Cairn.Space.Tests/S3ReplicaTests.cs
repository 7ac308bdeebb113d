using System.Net;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>
/// Two Space replicas sharing one PostgreSQL database and one bucket, as in a cluster behind a load balancer:
/// write-once and usage hold across them through the database, with no lock in either process.
/// </summary>
public sealed class S3ReplicaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Same_objects_at_once_on_two_replicas_are_accepted_and_counted_once_and_other_config_bytes_refused()
    {
        var connection = TestPostgres.NewDatabase(out var database);
        var prefix = TestS3.NewPrefix();
        try
        {
            await using var first = new SpaceFactory(DatabaseKind.Postgres, kestrel: false, sharedPostgres: connection, s3Prefix: prefix);
            await using var second = new SpaceFactory(DatabaseKind.Postgres, kestrel: false, sharedPostgres: connection, s3Prefix: prefix);
            first.StartServer();
            second.StartServer();

            var owner = await SpaceClient.SignUpAsync(first);
            var instance = await owner.RegisterInstanceAsync();
            var credential = await owner.MintAsync(instance, task: "shared");
            HttpClient[] replicas = [owner.Repository(credential), SpaceClient.Repository(second, credential.Username, credential.Secret)];
            (await replicas[1].CreateAsync(instance, "shared")).EnsureSuccessStatusCode();

            // The same pack (6 MiB: a multipart upload) and the same snapshot, eight times at once, alternately on each replica.
            var pack = Objects.Random(6 << 20);
            var snapshot = Objects.Random(500);
            var uploads = Enumerable.Range(0, 8).SelectMany(i => new[]
            {
                replicas[i % 2].UploadAsync(Objects.Path(instance, "shared", "data", Objects.NameOf(pack)), pack),
                replicas[(i + 1) % 2].UploadAsync(Objects.Path(instance, "shared", "snapshots", Objects.NameOf(snapshot)), snapshot),
            });
            (await Task.WhenAll(uploads)).Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);

            // Two configs of the same length but other bytes, at once on each replica: one wins, the other is refused.
            var configs = new[] { Objects.Random(155), Objects.Random(155) };
            var configAnswers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                replicas[i % 2].UploadAsync(Objects.Path(instance, "shared", "config"), configs[i % 2])));
            var won = configAnswers.Select((r, i) => (r.StatusCode, Config: i % 2)).Where(a => a.StatusCode == HttpStatusCode.OK).Select(a => a.Config).Distinct();
            won.Should().ContainSingle("only one config's bytes may be accepted");
            configAnswers.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict);
            var winner = configs[won.Single()];
            foreach (var replica in replicas)
            {
                (await replica.UploadAsync(Objects.Path(instance, "shared", "config"), winner)).StatusCode.Should().Be(HttpStatusCode.OK, "the same bytes again");
                (await replica.UploadAsync(Objects.Path(instance, "shared", "config"), configs[1 - won.Single()]))
                    .StatusCode.Should().Be(HttpStatusCode.Conflict);
                (await replica.GetByteArrayAsync(Objects.Path(instance, "shared", "config"), Ct)).Should().Equal(winner);
            }

            var task = (await owner.BackupsAsync()).Single();
            var inBucket = await TestS3.ObjectsUnderAsync(first.S3FolderOf(task.Id));
            inBucket.Values.Sum().Should().Be(pack.Length + snapshot.Length + 155);
            task.StorageBytes.Should().Be(inBucket.Values.Sum(), "each object counted once");

            // Deletes racing on both replicas: the bytes go once.
            var deletes = await Task.WhenAll(replicas.Select(r => r.DeleteAsync(Objects.Path(instance, "shared", "data", Objects.NameOf(pack)), Ct)));
            deletes.Select(d => d.StatusCode).Should().Contain(HttpStatusCode.OK).And.OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.NotFound);
            (await owner.BackupsAsync()).Single().StorageBytes.Should().Be(snapshot.Length + 155)
                .And.Be((await TestS3.ObjectsUnderAsync(first.S3FolderOf(task.Id))).Values.Sum());
        }
        finally
        {
            await TestPostgres.DropAsync(database);
        }
    }
}
