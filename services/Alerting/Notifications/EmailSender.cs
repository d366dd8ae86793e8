using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Text;
using SentryFlow.Alerting.Destinations;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// Sends an <c>email</c> channel's notification over SMTP (MailKit), with the channel's credentials when it has them. The
/// connection is opened by the <see cref="DestinationPolicy"/>, so the address the server is reached at is checked
/// like a webhook's (System.Net.Mail connects by itself and could not be checked).
/// </summary>
public sealed class EmailSender(DestinationPolicy destinations)
{
    public const int DefaultPort = 25;

    /// <summary>Sends once; a failure (refused, unreachable, an SMTP error answer) is for the dispatcher's retries.</summary>
    /// <param name="delivery">What to send.</param>
    /// <param name="channel">The delivery's channel with its password in clear (see <see cref="ChannelSecrets"/>).</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    public async Task SendAsync(Delivery delivery, NotificationChannel channel, CancellationToken cancellationToken)
    {
        var notification = delivery.Notification;
        using var message = new MimeMessage
        {
            Subject = AlertEmail.Subject(notification),
            Body = new TextPart(TextFormat.Plain) { Text = AlertEmail.Body(notification) },
        };
        message.From.Add(MailboxAddress.Parse(channel.From!));
        foreach (var to in channel.To ?? [])
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        var host = channel.SmtpHost!;
        var port = channel.SmtpPort ?? DefaultPort;
        using var smtp = new SmtpClient();
        var socket = await destinations.ConnectAsync(host, port, cancellationToken);
        try
        {
            await smtp.ConnectAsync(socket, host, port, channel.SmtpTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (!string.IsNullOrEmpty(channel.Username))
        {
            await smtp.AuthenticateAsync(channel.Username, channel.Secret ?? "", cancellationToken);
        }

        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }
}
