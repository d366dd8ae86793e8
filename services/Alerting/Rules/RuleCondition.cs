namespace SentryFlow.Alerting.Rules;

/// <summary>How a value is compared with a rule's threshold (in JSON: <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>==</c>).</summary>
public enum RuleCondition
{
    Above,
    AtLeast,
    Below,
    AtMost,
    Equal,
}
