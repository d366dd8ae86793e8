namespace SentryFlow.Alerting.Rules;

/// <summary>The operators users write and what they mean.</summary>
public static class RuleConditions
{
    private static readonly Dictionary<string, RuleCondition> BySymbol = new(StringComparer.Ordinal)
    {
        [">"] = RuleCondition.Above,
        [">="] = RuleCondition.AtLeast,
        ["<"] = RuleCondition.Below,
        ["<="] = RuleCondition.AtMost,
        ["=="] = RuleCondition.Equal,
    };

    public static IEnumerable<string> Symbols => BySymbol.Keys;

    public static bool TryParse(string? symbol, out RuleCondition condition) => BySymbol.TryGetValue(symbol ?? "", out condition);

    public static string Symbol(RuleCondition condition) => BySymbol.First(p => p.Value == condition).Key;

    public static bool Holds(RuleCondition condition, double value, double threshold) => condition switch
    {
        RuleCondition.Above => value > threshold,
        RuleCondition.AtLeast => value >= threshold,
        RuleCondition.Below => value < threshold,
        RuleCondition.AtMost => value <= threshold,
        _ => value == threshold,
    };
}
