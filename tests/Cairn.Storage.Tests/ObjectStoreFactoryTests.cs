namespace Cairn.Storage.Tests;

public sealed class ObjectStoreFactoryTests
{
    [Fact]
    public void Rest_locations_open_the_rest_backend_wrapped_in_retries()
    {
        var store = ObjectStoreFactory.Open("rest:http://user:secret@127.0.0.1:8000/repo/");

        var retrying = store.Should().BeOfType<RetryingObjectStore>().Subject;
        retrying.Inner.Should().BeOfType<RestObjectStore>();
        store.Location.Should().Be("rest:http://user:***@127.0.0.1:8000/repo/");
    }

    [Theory]
    [InlineData("local:/srv/backup", "/srv/backup")]
    [InlineData("/srv/backup", "/srv/backup")]
    [InlineData("/srv/with:colon", "/srv/with:colon")]
    public void Local_scheme_and_plain_paths_open_the_local_backend(string location, string path)
    {
        var store = ObjectStoreFactory.Open(location);

        store.Should().BeOfType<LocalObjectStore>().Which.Location.Should().Be(Path.GetFullPath(path));
    }

    [Fact]
    public void A_relative_path_is_made_absolute()
    {
        ObjectStoreFactory.Open("some/repo").Location.Should().Be(Path.GetFullPath("some/repo"));
    }

    [Fact]
    public void Memory_opens_a_fresh_in_memory_store()
    {
        ObjectStoreFactory.Open("memory:").Should().BeOfType<InMemoryObjectStore>().Which.Count.Should().Be(0);
    }

    [Fact]
    public void S3_locations_open_the_s3_backend_wrapped_in_retries_with_credentials_from_the_environment()
    {
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "KEY", ["AWS_SECRET_ACCESS_KEY"] = "SECRET" };

        var store = ObjectStoreFactory.Open("s3:http://127.0.0.1:7480/bucket/some/prefix", new ObjectStoreOptions { Environment = environment.GetValueOrDefault });

        store.Should().BeOfType<RetryingObjectStore>().Which.Inner.Should().BeOfType<S3ObjectStore>();
        store.Location.Should().Be("s3:http://127.0.0.1:7480/bucket/some/prefix");
    }

    [Fact]
    public void S3_without_credentials_is_refused_with_the_variables_to_set()
    {
        var open = () => ObjectStoreFactory.Open("s3:http://127.0.0.1:7480/bucket", new ObjectStoreOptions { Environment = _ => null });

        open.Should().Throw<ArgumentException>().WithMessage("*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY*");
    }

    [Theory]
    [InlineData("sftp:user@host:/srv/repo")]
    [InlineData("b2:bucket:path")]
    [InlineData("rclone:remote:path")]
    public void Other_restic_backends_are_refused_rather_than_taken_for_folders(string location)
    {
        var open = () => ObjectStoreFactory.Open(location);

        open.Should().Throw<NotSupportedException>().WithMessage("*is not supported*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("local:")]
    [InlineData("rest:ftp://host/")]
    [InlineData("s3:http://127.0.0.1:7480/")]
    [InlineData("s3:http://127.0.0.1:7480/Bad_Bucket/repo")]
    public void Empty_or_malformed_locations_are_refused(string location)
    {
        var open = () => ObjectStoreFactory.Open(location);

        open.Should().Throw<ArgumentException>();
    }
}
