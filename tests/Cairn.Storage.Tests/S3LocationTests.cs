namespace Cairn.Storage.Tests;

public sealed class S3LocationTests
{
    [Theory]
    [InlineData("s3:http://127.0.0.1:7480/bucket", "http://127.0.0.1:7480/", "bucket", "")]
    [InlineData("s3:http://127.0.0.1:7480/bucket/", "http://127.0.0.1:7480/", "bucket", "")]
    [InlineData("s3:https://s3.example.org/my.bucket/a/b/", "https://s3.example.org/", "my.bucket", "a/b")]
    [InlineData("s3:s3.example.org/bucket-1/repo", "https://s3.example.org/", "bucket-1", "repo")]
    [InlineData("s3:http://host:9000//bucket//deep//prefix", "http://host:9000/", "bucket", "deep/prefix")]
    public void Restic_s3_locations_are_split_into_endpoint_bucket_and_prefix(string location, string endpoint, string bucket, string prefix)
    {
        var parsed = S3Location.Parse(location);

        parsed.Endpoint.Should().Be(new Uri(endpoint));
        parsed.Bucket.Should().Be(bucket);
        parsed.Prefix.Should().Be(prefix);
    }

    [Fact]
    public void The_display_form_is_the_location_restic_would_be_given()
    {
        S3Location.Parse("s3:http://127.0.0.1:7480/bucket/a/b/").Display.Should().Be("s3:http://127.0.0.1:7480/bucket/a/b");
        S3Location.Parse("s3:http://127.0.0.1:7480/bucket").Display.Should().Be("s3:http://127.0.0.1:7480/bucket");
    }

    [Theory]
    [InlineData("s3:http://127.0.0.1:7480")]
    [InlineData("s3:http://user:secret@127.0.0.1:7480/bucket")]
    [InlineData("s3:http://127.0.0.1:7480/UPPER/repo")]
    [InlineData("s3:http://127.0.0.1:7480/ab/repo")]
    [InlineData("s3:http://127.0.0.1:7480/bucket/../other")]
    [InlineData("s3:http://127.0.0.1:7480/bucket/repo?x=1")]
    public void Locations_without_a_valid_bucket_or_with_secrets_are_refused(string location)
    {
        var parse = () => S3Location.Parse(location);

        parse.Should().Throw<ArgumentException>().WithMessage("*is not an s3: location*");
    }

    [Fact]
    public void Credentials_never_print_their_secret()
    {
        var credentials = new S3Credentials("AKID", "very-secret", "token");

        credentials.ToString().Should().Contain("AKID").And.NotContain("very-secret").And.NotContain("token");
    }
}
