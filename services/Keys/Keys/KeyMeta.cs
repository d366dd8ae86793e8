using System.Text.Json;

namespace SentryFlow.Keys.Keys;

/// <summary>
/// The rules for a key's free-form meta, which is stored as PostgreSQL <c>jsonb</c>: a JSON object of at most
/// <see cref="MaxLength"/> characters whose text jsonb accepts. jsonb refuses a NUL character (<c>\u0000</c>), an
/// unpaired surrogate and a number beyond its numeric range, and such a key would fail on save with a 500.
/// </summary>
public static class KeyMeta
{
    public const int MaxLength = 16_384;

    /// <summary>What is wrong with <paramref name="meta"/>, or null when it can be stored.</summary>
    public static string? Problem(JsonElement meta)
    {
        if (meta.ValueKind != JsonValueKind.Object)
        {
            return "Meta is a JSON object.";
        }

        if (meta.GetRawText().Length > MaxLength)
        {
            return $"Meta is at most {MaxLength / 1024} KiB of JSON.";
        }

        return FindUnstorable(meta, "meta") is { } path ? $"{path} cannot be stored: no NUL characters, unpaired surrogates or numbers beyond a double's range." : null;
    }

    private static string? FindUnstorable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsStorableName(property))
                    {
                        return $"A property name in {path}";
                    }

                    if (FindUnstorable(property.Value, $"{path}.{property.Name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnstorable(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                return IsStorable(element) ? null : path;
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && double.IsFinite(number) ? null : path;
            default:
                return null;
        }
    }

    private static bool IsStorableName(JsonProperty property)
    {
        try
        {
            return IsStorable(property.Name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsStorable(JsonElement text)
    {
        try
        {
            return IsStorable(text.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return false; // an escaped unpaired surrogate, which System.Text.Json will not decode
        }
    }

    private static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c) || (char.IsHighSurrogate(c) && !(i + 1 < text.Length && char.IsLowSurrogate(text[++i]))))
            {
                return false;
            }
        }

        return true;
    }
}
