namespace Cairn.Storage.Tests;

/// <summary>An HTTP handler answering from a function, for the answers a real server is hard to make give.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var response = answer(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
