using System.Security.Claims;

namespace SentryFlow.Alerting.Apis;

/// <summary>Who a request acts as, for the records of who acknowledged, resolved or silenced: email, else name, else subject.</summary>
public static class Actor
{
    public static string Of(ClaimsPrincipal user) =>
        user.FindFirstValue("email") ?? user.FindFirstValue("name") ?? user.FindFirstValue("sub") ?? "unknown";
}
