using System.Text.Json;
using System.Text.Json.Serialization;

namespace SentryFlow.ServiceDefaults.Validation;

/// <summary>
/// Reads every JSON string of every request body and refuses one with a NUL character: PostgreSQL stores none in text,
/// so such a string accepted would fail later, in a transaction that may hold other requests' or tenants' data. The
/// <see cref="JsonException"/> becomes a 400 naming the field (see <see cref="ProblemDetailsExceptionHandler"/>).
/// </summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public const string NulMessage = "The text contains a NUL character (\\u0000), which cannot be stored.";

    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("The JSON value is not valid for this field.");
        }

        var text = reader.GetString()!;
        return text.Contains('\0', StringComparison.Ordinal) ? throw new JsonException(NulMessage) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
