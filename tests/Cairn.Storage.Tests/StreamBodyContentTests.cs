using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

public sealed class StreamBodyContentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_sent_again_starts_from_where_it_first_started_and_leaves_the_stream_open()
    {
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var source = new MemoryStream(bytes) { Position = 100 };
        using var content = new StreamBodyContent(source, 200);
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        await content.CopyToAsync(first, Ct);
        await content.CopyToAsync(second, Ct);

        first.ToArray().Should().Equal(bytes[100..]);
        second.ToArray().Should().Equal(bytes[100..]);
        content.Headers.ContentLength.Should().Be(200);
        source.CanRead.Should().BeTrue();
    }

    [Fact]
    public async Task A_body_from_a_stream_that_cannot_rewind_refuses_to_be_sent_twice()
    {
        using var content = new StreamBodyContent(new NonSeekableStream(new byte[50]), null);
        await content.CopyToAsync(Stream.Null, Ct);

        var again = () => content.CopyToAsync(Stream.Null, Ct);

        (await again.Should().ThrowAsync<HttpRequestException>()).WithInnerException<IOException>();
        content.Headers.ContentLength.Should().BeNull("an unknown length is sent chunked");
    }
}
