using Cairn.Space.Tests.Infrastructure;
using Cairn.Storage;
using Cairn.Storage.Testing;

namespace Cairn.Space.Tests;

/// <summary>
/// The storage conformance suite, through Cairn's own <see cref="RestObjectStore"/>, against Space task URLs on a
/// real listener: every store of the suite is a new backup task of one instance.
/// </summary>
public abstract class SpaceObjectStoreConformanceTests(SpaceConformanceFixture fixture) : ObjectStoreConformanceTests
{
    private SpaceFactory Space => fixture.Factory;

    protected override Task<IObjectStore> CreateEmptyStoreAsync()
    {
        var task = "t" + Guid.NewGuid().ToString("N")[..16];
        var url = $"rest:http://{fixture.Credential.Username}:{fixture.Credential.Secret}@{Space.ListenAddress.Authority}/repo/{fixture.Instance}/{task}/";
        return Task.FromResult<IObjectStore>(new RestObjectStore(url));
    }

    protected override async Task AssertNoLeftoversAsync(IObjectStore store)
    {
        if (Space.S3Prefix is not null)
        {
            await AssertNoLeftoversInBucketAsync(store);
            return;
        }

        var folder = await FolderOfAsync(store);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).ToList();
        files.Should().OnlyContain(f => IsObjectPath(f), "a failed upload leaves no partial file in Space");

        // Space's count of stored bytes agrees with what is there, failed uploads included.
        var task = (await fixture.Owner.BackupsAsync()).Single(t => folder.EndsWith(t.Id.ToString("N"), StringComparison.Ordinal));
        task.StorageBytes.Should().Be(files.Sum(f => new FileInfo(Path.Combine(folder, f)).Length));
    }

    protected override async Task PlantJunkAsync(IObjectStore store)
    {
        if (Space.S3Prefix is not null)
        {
            var folder = Space.S3FolderOf((await TaskOfAsync(store)).Id);
            await TestS3.PutAsync($"{folder}/data/zz/zz{new string('0', 62)}", "not hex");
            await TestS3.PutAsync($"{folder}/keys/README", "not an object");
            await TestS3.PutAsync($"{folder}/keys/{new string('A', 64)}", "upper case name");
            await TestS3.PutAsync($"{folder}/index/{new string('d', 63)}", "short name");
            return;
        }

        var root = await FolderOfAsync(store);
        Directory.CreateDirectory(Path.Combine(root, "data", "zz"));
        await File.WriteAllTextAsync(Path.Combine(root, "data", "zz", "zz" + new string('0', 62)), "not hex", Ct);
        await File.WriteAllTextAsync(Path.Combine(root, "keys", "README"), "not an object", Ct);
        await File.WriteAllTextAsync(Path.Combine(root, "keys", new string('A', 64)), "upper case name", Ct);
        await File.WriteAllTextAsync(Path.Combine(root, "index", new string('d', 63)), "short name", Ct);
    }

    private async Task AssertNoLeftoversInBucketAsync(IObjectStore store)
    {
        var task = await TaskOfAsync(store);
        var folder = Space.S3FolderOf(task.Id);
        var objects = await TestS3.ObjectsUnderAsync(folder);
        objects.Keys.Select(k => k[(folder.Length + 1)..].Replace('/', Path.DirectorySeparatorChar)).Should()
            .OnlyContain(f => IsObjectPath(f), "a failed upload leaves no partial object in the bucket");
        task.StorageBytes.Should().Be(objects.Values.Sum());
    }

    private async Task<Backups.BackupResponse> TaskOfAsync(IObjectStore store)
    {
        var taskName = store.Location.TrimEnd('/').Split('/')[^1];
        return (await fixture.Owner.BackupsAsync()).Single(t => t.Name == taskName);
    }

    private async Task<string> FolderOfAsync(IObjectStore store)
    {
        var task = await TaskOfAsync(store);
        return Directory.GetDirectories(Space.RepositoriesPath, task.Id.ToString("N"), SearchOption.AllDirectories).Single();
    }

    private static bool IsObjectPath(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts switch
        {
            ["config"] => true,
            ["data", var prefix, var name] => ObjectName.IsValid(ObjectKind.Pack, name) && name.StartsWith(prefix, StringComparison.Ordinal),
            [var folder, var name] => ObjectKinds.TryParseFolderName(folder, out var kind) && ObjectName.IsValid(kind, name),
            _ => false,
        };
    }
}

/// <summary>A Space on Kestrel with one account, instance and credential that every store of the suite uses.</summary>
public abstract class SpaceConformanceFixture(DatabaseKind database, bool onS3 = false) : SpaceFixture(database, kestrel: true, onS3: onS3)
{
    private SpaceClient? _owner;

    public SpaceClient Owner => _owner ?? throw new InvalidOperationException("not started");
    public string Instance { get; private set; } = "";
    public Instances.MintedCredentialResponse Credential { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _owner = await SpaceClient.SignUpAsync(Factory);
        Instance = await _owner.RegisterInstanceAsync();
        Credential = await _owner.MintAsync(Instance);
    }
}

public sealed class SqliteConformanceSpace() : SpaceConformanceFixture(DatabaseKind.Sqlite);

public sealed class PostgresConformanceSpace() : SpaceConformanceFixture(DatabaseKind.Postgres);

/// <summary>Space on PostgreSQL with its repositories on RGW: the scaled setup.</summary>
public sealed class S3ConformanceSpace() : SpaceConformanceFixture(DatabaseKind.Postgres, onS3: true);

public sealed class SpaceObjectStoreConformanceTestsOnSqlite(SqliteConformanceSpace fixture)
    : SpaceObjectStoreConformanceTests(fixture), IClassFixture<SqliteConformanceSpace>;

public sealed class SpaceObjectStoreConformanceTestsOnPostgres(PostgresConformanceSpace fixture)
    : SpaceObjectStoreConformanceTests(fixture), IClassFixture<PostgresConformanceSpace>;

public sealed class SpaceObjectStoreConformanceTestsOnS3(S3ConformanceSpace fixture)
    : SpaceObjectStoreConformanceTests(fixture), IClassFixture<S3ConformanceSpace>;
