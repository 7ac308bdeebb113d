using System.Net;
using System.Text;
using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

/// <summary>How the REST backend reads servers' answers, with a stub server for the odd ones.</summary>
public sealed class RestObjectStoreTests
{
    private static readonly ObjectName Pack = new(ObjectKind.Pack, new string('a', 64));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RestObjectStore StoreAnswering(Func<HttpRequestMessage, HttpResponseMessage> answer, out StubHandler handler)
    {
        handler = new StubHandler(answer);
        return new RestObjectStore("rest:http://user:pw@stub.invalid/repo/", new HttpClient(handler));
    }

    private static HttpResponseMessage Text(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    [Theory]
    [InlineData(HttpStatusCode.PaymentRequired, "quota of 10 GiB exceeded")]
    [InlineData(HttpStatusCode.InsufficientStorage, "disk full")]
    [InlineData(HttpStatusCode.Forbidden, "append-only repository")]
    [InlineData(HttpStatusCode.BadRequest, "bad name")]
    public async Task Client_errors_are_refusals_carrying_the_servers_text(HttpStatusCode status, string body)
    {
        var store = StoreAnswering(_ => Text(status, body + "\n"), out _);

        var delete = () => store.DeleteAsync(Pack, Ct);

        var refused = (await delete.Should().ThrowAsync<StorageRefusedException>()).Which;
        refused.Message.Should().Be(body);
        refused.StatusCode.Should().Be((int)status);
        refused.IsTransient.Should().BeFalse();
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Server_errors_are_transient(HttpStatusCode status)
    {
        var store = StoreAnswering(_ => Text(status, "try later"), out _);

        var stat = () => store.StatAsync(Pack, Ct);

        var thrown = (await stat.Should().ThrowAsync<StorageException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Should().NotBeOfType<StorageRefusedException>();
    }

    [Fact]
    public async Task Requests_carry_basic_authentication_and_listings_ask_for_version_2()
    {
        var store = StoreAnswering(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[]") }, out var handler);

        (await store.ListAllAsync(ObjectKind.Index, Ct)).Should().BeEmpty();

        var request = handler.Requests.Should().ContainSingle().Subject;
        request.RequestUri.Should().Be(new Uri("http://stub.invalid/repo/index/"));
        request.Headers.Authorization!.ToString().Should().Be("Basic " + Convert.ToBase64String("user:pw"u8.ToArray()));
        request.Headers.Accept.Select(a => a.MediaType).Should().Equal("application/vnd.x.restic.rest.v2");
        store.Location.Should().Be("rest:http://user:***@stub.invalid/repo/");
    }

    [Fact]
    public async Task A_version_1_listing_is_tolerated_and_sizes_are_asked_for()
    {
        var other = new string('b', 64);
        var store = StoreAnswering(request => request.Method == HttpMethod.Head
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[request.RequestUri!.AbsolutePath.EndsWith(Pack.Name) ? 7 : 9]) }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"[\"{Pack.Name}\", \"{other}\", \"junk\"]") }, out _);

        var listed = await store.ListAllAsync(ObjectKind.Pack, Ct);

        listed.Should().BeEquivalentTo([new ObjectInfo(Pack, 7), new ObjectInfo(new ObjectName(ObjectKind.Pack, other), 9)]);
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_still_gives_the_right_bytes()
    {
        var content = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var store = StoreAnswering(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) }, out var handler);
        var buffer = new byte[10];

        await store.ReadAtAsync(Pack, 40, buffer, Ct);

        buffer.Should().Equal(content[40..50]);
        handler.Requests.Single().Headers.Range!.ToString().Should().Be("bytes=40-49");
    }

    [Fact]
    public async Task A_clipped_range_means_the_object_is_shorter_than_asked()
    {
        var store = StoreAnswering(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(new byte[5]) };
            response.Content.Headers.ContentRange = new System.Net.Http.Headers.ContentRangeHeaderValue(95, 99, 100);
            return response;
        }, out _);

        var read = () => store.ReadAtAsync(Pack, 95, new byte[10], Ct);

        (await read.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task An_existing_object_is_not_uploaded_again_and_a_different_length_is_refused()
    {
        var store = StoreAnswering(request => request.Method == HttpMethod.Head
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[3]) }
            : throw new InvalidOperationException("no upload expected"), out var handler);

        await store.SaveAsync(Pack, new byte[3], Ct);
        await store.SaveAsync(Pack, ObjectContent.OnePass(new NonSeekableStream(new byte[3])), Ct);
        var different = () => store.SaveAsync(Pack, new byte[4], Ct);

        await different.Should().ThrowAsync<ObjectExistsException>();
        handler.Requests.Should().OnlyContain(r => r.Method == HttpMethod.Head);
    }

    [Fact]
    public async Task Debris_of_our_own_failed_upload_is_overwritten_by_the_next_save()
    {
        var posts = 0;
        var store = StoreAnswering(request => (request.Method.Method, posts) switch
        {
            ("HEAD", 0) => new HttpResponseMessage(HttpStatusCode.NotFound),
            ("HEAD", _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[7]) }, // the partial left behind
            ("POST", _) => ++posts == 1 ? Text(HttpStatusCode.BadGateway, "upstream broke") : new HttpResponseMessage(HttpStatusCode.OK),
            _ => throw new InvalidOperationException($"unexpected {request.Method}"),
        }, out var handler);

        var first = () => store.SaveAsync(Pack, new byte[100], Ct);
        (await first.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeTrue();
        await store.SaveAsync(Pack, new byte[100], Ct);

        posts.Should().Be(2);
        var other = new RestObjectStore("rest:http://user:pw@stub.invalid/repo/", new HttpClient(handler));
        await FluentActions.Awaiting(() => other.SaveAsync(Pack, new byte[100], Ct)).Should().ThrowAsync<ObjectExistsException>(
            "only the store whose upload failed may take what is there for its own debris");
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_a_transient_failure()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var store = new RestObjectStore($"rest:http://127.0.0.1:{port}/repo/");

        var stat = () => store.StatAsync(ObjectName.Config, Ct);

        (await stat.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task A_server_slower_than_the_deadline_is_a_transient_timeout_not_a_cancellation()
    {
        var handler = new DelayingHandler(TimeSpan.FromSeconds(30));
        var store = new RestObjectStore("rest:http://stub.invalid/", new HttpClient(handler), requestTimeout: TimeSpan.FromMilliseconds(100));

        var stat = () => store.StatAsync(Pack, Ct);

        var thrown = (await stat.Should().ThrowAsync<StorageException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("timed out");
    }

    private sealed class DelayingHandler(TimeSpan delay) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
