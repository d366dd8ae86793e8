using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SentryFlow.Ingest.Records;

/// <summary>
/// Masks what must never be stored, before a record leaves ingest: configured headers (Authorization, cookies,
/// API keys), configured JSON fields anywhere in a body (passwords, tokens, card numbers), and anything in a
/// string that looks like a payment card number (13 to 19 digits passing the Luhn check).
/// </summary>
public sealed partial class Masker(IConfiguration configuration)
{
    public const string Mask = "[MASKED]";

    private readonly HashSet<string> _headers = new(
        configuration.GetSection("Ingest:Masking:Headers").Get<string[]>() ?? ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key"],
        StringComparer.OrdinalIgnoreCase);

    private readonly HashSet<string> _fields = new(
        configuration.GetSection("Ingest:Masking:Fields").Get<string[]>()
            ?? ["password", "passwd", "secret", "token", "access_token", "refresh_token", "apiKey", "api_key", "cardNumber", "card_number", "cvv", "cvc", "ssn"],
        StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string>? MaskHeaders(Dictionary<string, string>? headers) =>
        headers?.ToDictionary(h => h.Key, h => _headers.Contains(h.Key) ? Mask : MaskCards(h.Value));

    public string? MaskBody(JsonElement? body) => body switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } text => MaskText(text.GetString()!),
        { } json => MaskJson(json).GetRawText(),
    };

    public JsonElement MaskJson(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            return json;
        }

        var node = JsonNode.Parse(json.GetRawText());
        MaskNode(node);
        return JsonSerializer.SerializeToElement(node);
    }

    // A body sent as a string may itself be JSON (or form data): mask what can be parsed, and cards in any case.
    private string MaskText(string text)
    {
        try
        {
            return MaskJson(JsonDocument.Parse(text).RootElement).GetRawText();
        }
        catch (JsonException)
        {
            return MaskCards(FormField().Replace(text, match => _fields.Contains(match.Groups[1].Value) ? $"{match.Groups[1].Value}={Mask}" : match.Value));
        }
    }

    private void MaskNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (_fields.Contains(name))
                    {
                        obj[name] = Mask;
                    }
                    else if (value is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                    {
                        obj[name] = MaskCards(text);
                    }
                    else
                    {
                        MaskNode(value);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                    {
                        array[i] = MaskCards(text);
                    }
                    else
                    {
                        MaskNode(array[i]);
                    }
                }

                break;
        }
    }

    private static string MaskCards(string text) =>
        CardLike().Replace(text, match => PassesLuhn(match.Value) ? Mask : match.Value);

    private static bool PassesLuhn(string candidate)
    {
        var digits = candidate.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"\b\d(?:[ -]?\d){12,18}\b")]
    private static partial Regex CardLike();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=([^&\s]*)")]
    private static partial Regex FormField();
}
