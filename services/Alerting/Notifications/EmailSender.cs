using System.Net;
using System.Net.Mail;
using System.Text;

namespace SentryFlow.Alerting.Notifications;

/// <summary>Sends an <c>email</c> channel's notification over SMTP (System.Net.Mail), with the channel's credentials when it has them.</summary>
public sealed class EmailSender
{
    public const int DefaultPort = 25;

    /// <summary>Sends once; an <see cref="SmtpException"/> (refused, unreachable) is for the dispatcher's retries.</summary>
    /// <param name="delivery">What to send.</param>
    /// <param name="channel">The delivery's channel with its password in clear (see <see cref="Rules.ChannelSecrets"/>).</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    public async Task SendAsync(Delivery delivery, Rules.NotificationChannel channel, CancellationToken cancellationToken)
    {
        var notification = delivery.Notification;
        using var message = new MailMessage
        {
            From = new MailAddress(channel.From!),
            Subject = AlertEmail.Subject(notification),
            SubjectEncoding = Encoding.UTF8,
            Body = AlertEmail.Body(notification),
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        foreach (var to in channel.To ?? [])
        {
            message.To.Add(to);
        }

        using var smtp = new SmtpClient(channel.SmtpHost!, channel.SmtpPort ?? DefaultPort)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = channel.SmtpTls,
        };
        if (!string.IsNullOrEmpty(channel.Username))
        {
            smtp.Credentials = new NetworkCredential(channel.Username, channel.Secret);
        }

        await smtp.SendMailAsync(message, cancellationToken);
    }
}
