using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SentryFlow.Testing;

/// <summary>A message an <see cref="SmtpListener"/> received: the envelope, the credentials it was sent with, headers and the decoded body.</summary>
public sealed partial record SmtpMessage(
    string From, IReadOnlyList<string> To, string? User, string? Password, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Subject => Headers.TryGetValue("Subject", out var subject) ? subject : "";

    public static SmtpMessage Parse(string from, IReadOnlyList<string> to, string? user, string? password, string data)
    {
        var split = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? data : data[..split];
        var body = split < 0 ? "" : data[(split + 4)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += line.TrimStart(); // a folded header goes on
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                last = line[..colon];
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        foreach (var name in headers.Keys.ToList())
        {
            headers[name] = EncodedWord().Replace(headers[name], DecodeWord);
        }

        var encoding = headers.TryGetValue("Content-Transfer-Encoding", out var value) ? value.ToLowerInvariant() : "7bit";
        var decoded = encoding switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split("\r\n")))),
            "quoted-printable" => QuotedPrintable(body),
            _ => body,
        };
        return new SmtpMessage(from, to, user, password, headers, decoded);
    }

    private static string DecodeWord(Match word)
    {
        var text = word.Groups[3].Value;
        var bytes = word.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? Convert.FromBase64String(text)
            : Encoding.UTF8.GetBytes(QuotedPrintable(text.Replace('_', ' ')));
        return Encoding.GetEncoding(word.Groups[1].Value).GetString(bytes);
    }

    private static string QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var source = text.Replace("=\r\n", "", StringComparison.Ordinal);
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '=' && i + 2 < source.Length &&
                byte.TryParse(source.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(source[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*")]
    private static partial Regex EncodedWord();
}
