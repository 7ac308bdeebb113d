using System.Net;

namespace Cairn.Testing.Servers;

/// <summary>
/// An HTTP server on a free loopback port for the small servers tests write (a fake Space, a webhook receiver, a
/// counting proxy): every request goes to the handler, each on a task of its own unless <c>oneAtATime</c>; a client
/// that goes away mid-answer is not an error. Disposing it closes the port and ends the loop.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly bool _oneAtATime;
    private readonly Task _serving;

    /// <param name="path">The prefix it answers under, starting and ending with '/'.</param>
    public LoopbackHttpServer(Func<HttpListenerContext, Task> handle, string path = "/", bool oneAtATime = false)
    {
        _handle = handle;
        _oneAtATime = oneAtATime;
        Port = FreePort.Next();
        BaseUri = new Uri($"http://127.0.0.1:{Port}{path}");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Its address with the path it answers under, e.g. http://127.0.0.1:41234/hook/.</summary>
    public Uri BaseUri { get; }

    public async ValueTask DisposeAsync()
    {
        // Close, not Stop then Close: after Stop, Close binds the port again to unregister, and fails when another
        // test has taken the port meanwhile ("Address already in use").
        _listener.Close();
        await _serving.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (_oneAtATime)
            {
                await HandleAsync(context).ConfigureAwait(false);
            }
            else
            {
                _ = Task.Run(() => HandleAsync(context));
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            await _handle(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away, or the server closed, while it was answered.
        }
    }
}
