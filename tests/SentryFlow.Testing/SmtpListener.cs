using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace SentryFlow.Testing;

/// <summary>
/// A minimal SMTP server on loopback for tests (RFC 5321's greeting, EHLO/HELO, AUTH LOGIN, MAIL FROM, RCPT TO, DATA,
/// RSET, NOOP, QUIT) that keeps every message it is given, with its body decoded (base64 or quoted-printable).
/// </summary>
public sealed partial class SmtpListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private SmtpListener()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Host => "127.0.0.1";

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The messages received, in order.</summary>
    public ConcurrentQueue<SmtpMessage> Messages { get; } = new();

    public static SmtpListener Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost ESMTP test listener");
            string? from = null, user = null, password = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stopping.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost");
                        await writer.WriteLineAsync("250 AUTH LOGIN");
                        break;
                    case "HELO":
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "AUTH":
                        var parts = line.Split(' ');
                        if (!parts[1].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
                        {
                            await writer.WriteLineAsync("504 Unrecognized authentication type");
                            break;
                        }

                        if (parts.Length < 3)
                        {
                            await writer.WriteLineAsync("334 VXNlcm5hbWU6"); // "Username:"
                            user = Base64(await reader.ReadLineAsync(_stopping.Token));
                        }
                        else
                        {
                            user = Base64(parts[2]);
                        }

                        await writer.WriteLineAsync("334 UGFzc3dvcmQ6"); // "Password:"
                        password = Base64(await reader.ReadLineAsync(_stopping.Token));
                        await writer.WriteLineAsync("235 Authentication successful");
                        break;
                    case "MAIL":
                        from = Address(line);
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stopping.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Messages.Enqueue(SmtpMessage.Parse(from ?? "", [.. to], user, password, data.ToString()));
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "RSET":
                        from = null;
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away, or the listener stops
        }
    }

    private static string Base64(string? text) => Encoding.UTF8.GetString(Convert.FromBase64String(text ?? ""));

    private static string Address(string line) => AngleAddress().Match(line) is { Success: true } match ? match.Groups[1].Value : "";

    [GeneratedRegex("<([^>]*)>")]
    private static partial Regex AngleAddress();
}
