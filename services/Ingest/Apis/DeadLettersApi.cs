using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Ingest.DeadLetters;

namespace SentryFlow.Ingest.Apis;

/// <summary>
/// Batches downstream consumers gave up on, for platform administrators: <c>GET</c> lists them (with the fault),
/// <c>POST</c> replays one (<c>?messageId=</c>) or all. Authenticated by a user token, not an ingest key.
/// </summary>
public static class DeadLettersApi
{
    private const int MaxLimit = 500;

    // Only these endpoints read bearer tokens as JWTs: everywhere else in ingest the bearer is an ingest key.
    private static readonly AuthorizationPolicy Administrators = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser().RequireRole(SentryFlowClaims.PlatformAdmin).Build();

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var deadLetters = app.MapGroup("/v1/ingest/dead-letters").WithTags("Dead letters").RequireAuthorization(Administrators);
        deadLetters.MapGet("/", ListAsync);
        deadLetters.MapPost("/replay", ReplayAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(DeadLetterStore store, CancellationToken cancellationToken, int limit = 100) =>
        limit is < 1 or > MaxLimit
            ? IngestProblems.QueryInvalid.Validation("limit", $"Between 1 and {MaxLimit}.")
            : TypedResults.Ok(await store.ListAsync(limit, cancellationToken));

    private static async Task<IResult> ReplayAsync(DeadLetterStore store, CancellationToken cancellationToken, string? messageId = null) =>
        TypedResults.Ok(new { replayed = await store.ReplayAsync(messageId, cancellationToken) });
}
