using System.Net;
using System.Net.Sockets;
using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

/// <summary>Issue 17, item 8: a server that cannot be reached, or refuses the credential, is said so at once and clearly.</summary>
public sealed class UnreachableStoreTests
{
    private readonly InMemoryObjectStore _inner = new();
    private readonly FaultInjectingObjectStore _faulty;
    private readonly InstantTimeProvider _time = new();
    private readonly RetryingObjectStore _store;

    public UnreachableStoreTests()
    {
        _faulty = new FaultInjectingObjectStore(_inner);
        _store = new RetryingObjectStore(_faulty, new RetryOptions { MaxAttempts = 4 }, _time, new Random(7));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StoreUnreachableException Refused() => new("rest:http://u:***@127.0.0.1:1/r/", "connection refused", isTransient: true);

    [Fact]
    public async Task A_store_that_never_answered_gives_up_on_an_unreachable_server_at_once()
    {
        _faulty.InjectAlways(StoreOperation.Stat, StoreFault.Throw(Refused));

        var stat = () => _store.StatAsync(ObjectName.Config, Ct);

        (await stat.Should().ThrowAsync<StoreUnreachableException>()).Which.Message.Should().Be("cannot reach rest:http://u:***@127.0.0.1:1/r/: connection refused");
        _faulty.Calls(StoreOperation.Stat).Should().Be(1);
        _time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Once_the_server_has_answered_an_unreachable_server_is_waited_for_with_back_off()
    {
        var o = TestObject.Random(ObjectKind.Pack, 100);
        await o.SaveToAsync(_inner, Ct);
        await _store.StatAsync(o.Name, Ct);
        _faulty.Inject(StoreOperation.Stat, StoreFault.Throw(Refused), times: 2);

        var info = await _store.StatAsync(o.Name, Ct);

        info.Size.Should().Be(100);
        _time.Delays.Should().HaveCount(2, "a server restarting mid-backup is retried as before");
    }

    [Fact]
    public async Task A_not_found_answer_counts_as_the_server_answering()
    {
        var missing = () => _store.StatAsync(ObjectName.Config, Ct);
        await missing.Should().ThrowAsync<ObjectNotFoundException>();
        var o = TestObject.Random(ObjectKind.Pack, 10);
        await o.SaveToAsync(_inner, Ct);
        _faulty.Inject(StoreOperation.Stat, StoreFault.Throw(Refused), times: 1);

        (await _store.StatAsync(o.Name, Ct)).Size.Should().Be(10);
    }

    [Fact]
    public async Task A_closed_port_is_connection_refused_naming_the_masked_location()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // the port is now closed

        var store = ObjectStoreFactory.Open($"rest:http://user:s3cret@127.0.0.1:{port}/repo/");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var stat = () => store.StatAsync(ObjectName.Config, Ct);

        var error = (await stat.Should().ThrowAsync<StoreUnreachableException>()).Which;
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        error.Message.Should().Be($"cannot reach rest:http://user:***@127.0.0.1:{port}/repo/: connection refused");
        error.Message.Should().NotContain("s3cret");
    }

    [Fact]
    public void A_failed_name_lookup_is_a_dns_failure_and_a_failed_handshake_a_tls_one_never_retried()
    {
        const string Location = "rest:https://user:***@space.example/repo/";
        var dns = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (space.example:443)", new SocketException((int)SocketError.HostNotFound));
        var tls = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", new System.Security.Authentication.AuthenticationException("The remote certificate is invalid"));

        var lookup = RestErrors.FromTransport(dns, "stat config", Location, CancellationToken.None).Should().BeOfType<StoreUnreachableException>().Which;
        var handshake = RestErrors.FromTransport(tls, "stat config", Location, CancellationToken.None).Should().BeOfType<StoreUnreachableException>().Which;

        lookup.Reason.Should().StartWith("host name not found (DNS)");
        lookup.Message.Should().StartWith($"cannot reach {Location}: host name not found");
        handshake.Reason.Should().Be("TLS handshake failed (The remote certificate is invalid)");
        handshake.IsTransient.Should().BeFalse();
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "Unauthorized")]
    [InlineData(HttpStatusCode.Forbidden, "")]
    public async Task A_refused_credential_is_said_in_one_sentence_with_the_masked_location(HttpStatusCode status, string body)
    {
        var store = new RestObjectStore("rest:https://user:s3cret@space.invalid/repo/main/", new HttpClient(new StubHandler(_ =>
            new HttpResponseMessage(status) { Content = new StringContent(body) })));

        var stat = () => store.StatAsync(ObjectName.Config, Ct);

        var refused = (await stat.Should().ThrowAsync<CredentialRefusedException>()).Which;
        refused.Message.Should().Be("Space refused the credential for rest:https://user:***@space.invalid/repo/main/ (wrong or revoked secret?)");
        refused.IsTransient.Should().BeFalse();
    }
}
