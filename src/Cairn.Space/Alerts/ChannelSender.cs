namespace Cairn.Space.Alerts;

/// <summary>Sends one alert through one channel, whatever its kind; a failure is an <see cref="AlertDeliveryException"/>.</summary>
public sealed class ChannelSender(EmailSender email, WebhookSender webhook, PushSender push)
{
    public Task SendAsync(AlertChannel channel, AlertMessage alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.Kind switch
        {
            ChannelKinds.Email => email.SendAsync(channel.Target, alert, cancellationToken),
            ChannelKinds.Webhook => webhook.SendAsync(channel.Target, channel.Secret, alert, cancellationToken),
            ChannelKinds.Push => push.SendAsync(channel.Target, channel.Flavor ?? ChannelKinds.Ntfy, channel.Secret, alert, cancellationToken),
            _ => throw new AlertDeliveryException($"unknown channel kind '{channel.Kind}'"),
        };
    }
}
