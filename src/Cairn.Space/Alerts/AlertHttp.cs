using System.Net;
using System.Net.Sockets;

namespace Cairn.Space.Alerts;

/// <summary>The HTTP client alerts use (no redirects, a short time-out), and its failures in plain words.</summary>
public static class AlertHttp
{
    public const string ClientName = "alerts";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddAlertHttp(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, c => c.Timeout = Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        return services;
    }

    public static async Task SendAsync(IHttpClientFactory clients, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(request);
        var where = ChannelValidation.Shown(request.RequestUri!);
        var client = clients.CreateClient(ClientName);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new AlertDeliveryException($"{where} answered {(int)response.StatusCode} {Reason(response.StatusCode, response.ReasonPhrase)}");
            }
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            throw new AlertDeliveryException($"could not reach {where}: {socket.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new AlertDeliveryException($"could not reach {where}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"{where} did not answer within {Timeout.TotalSeconds:0} seconds", e);
        }
    }

    private static string Reason(HttpStatusCode status, string? phrase) => string.IsNullOrEmpty(phrase) ? status.ToString() : phrase;
}
