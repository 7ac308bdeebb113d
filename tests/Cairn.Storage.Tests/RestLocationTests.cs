namespace Cairn.Storage.Tests;

public sealed class RestLocationTests
{
    [Fact]
    public void Credentials_are_taken_out_of_the_url_and_masked_for_display()
    {
        var location = RestLocation.Parse("rest:http://user:secret@host:8000/path/");

        location.BaseUri.Should().Be(new Uri("http://host:8000/path/"));
        location.User.Should().Be("user");
        location.Password.Should().Be("secret");
        location.Display.Should().Be("rest:http://user:***@host:8000/path/");
        location.Display.Should().NotContain("secret");
        location.Authorization!.Scheme.Should().Be("Basic");
        location.Authorization.Parameter.Should().Be(Convert.ToBase64String("user:secret"u8.ToArray()));
    }

    [Theory]
    [InlineData("rest:http://localhost:8000", "http://localhost:8000/")]
    [InlineData("rest:https://example.org/a/b", "https://example.org/a/b/")]
    [InlineData("rest:http://127.0.0.1:1234/repo/", "http://127.0.0.1:1234/repo/")]
    public void The_path_always_ends_with_a_slash(string text, string expected)
    {
        var location = RestLocation.Parse(text);

        location.BaseUri.AbsoluteUri.Should().Be(expected);
        location.User.Should().BeNull();
        location.Authorization.Should().BeNull();
        location.Display.Should().Be("rest:" + expected);
    }

    [Fact]
    public void Escaped_characters_in_credentials_are_decoded()
    {
        var location = RestLocation.Parse("rest:http://us%40er:p%3Ass%2Fw@host/");

        location.User.Should().Be("us@er");
        location.Password.Should().Be("p:ss/w");
        location.Display.Should().Be("rest:http://us%40er:***@host/");
    }

    [Theory]
    [InlineData("rest:ftp://host/")]
    [InlineData("rest:not a url")]
    [InlineData("rest:")]
    public void Anything_but_http_or_https_is_refused(string text)
    {
        var parse = () => RestLocation.Parse(text);

        parse.Should().Throw<ArgumentException>().WithMessage("*rest:http://*");
    }

    [Fact]
    public void A_refused_location_does_not_echo_its_password()
    {
        var parse = () => RestLocation.Parse("rest:ftp://user:secret@host/");

        parse.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("secret");
    }
}
