using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// Ends a long-lived response (a server-sent event stream) once its caller loses the access it was opened with: the
/// token revoked or expired, its user disabled, its role in the project lowered below the endpoint's policy or removed.
/// Authorization runs once per request, so without this a stream opened before the change would go on for as long as
/// the client kept it open. The caller's access is looked at again every <see cref="TokenAccessCache.RefreshInterval"/>
/// through <see cref="TokenAccessCache"/> (which identity's answers keep current), and the endpoint's policy is
/// evaluated again with the current principal.
/// </summary>
public sealed class StreamAccessWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _ended;
    private readonly Task _watching;

    private StreamAccessWatch(HttpContext context, string policy)
    {
        _ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        _watching = WatchAsync(context, policy);
    }

    /// <summary>Cancelled when the client goes away or the caller's access ends.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Whether the stream was ended because the caller's access ended (not because the client left).</summary>
    public bool AccessEnded { get; private set; }

    /// <summary>Starts watching the request's caller against <paramref name="policy"/>, the policy the endpoint required.</summary>
    public static StreamAccessWatch Start(HttpContext context, string policy) => new(context, policy);

    public async ValueTask DisposeAsync()
    {
        await _ended.CancelAsync();
        await _watching;
        _ended.Dispose();
    }

    private async Task WatchAsync(HttpContext context, string policy)
    {
        var services = context.RequestServices;
        var time = services.GetRequiredService<TimeProvider>();
        var token = TokenAccessCache.BearerToken(context.Request.Headers.Authorization).ToString();
        var opened = context.User;
        using var timer = new PeriodicTimer(TokenAccessCache.RefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_ended.Token))
            {
                if (!await IsStillAllowedAsync(context, policy, token, opened, services, time))
                {
                    AccessEnded = true;
                    await _ended.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_ended.IsCancellationRequested)
        {
            // the stream ended first
        }
    }

    private static async Task<bool> IsStillAllowedAsync(
        HttpContext context, string policy, string token, ClaimsPrincipal opened, IServiceProvider services, TimeProvider time)
    {
        if (opened.FindFirstValue("exp") is { } exp && long.TryParse(exp, out var seconds)
            && time.GetUtcNow() >= DateTimeOffset.FromUnixTimeSeconds(seconds))
        {
            return false;
        }

        // SentryFlow's own service tokens are not revocable and carry no project roles to lose.
        if (token.Length == 0 || TokenAccessCache.IsExempt(opened))
        {
            return true;
        }

        var outcome = await services.GetRequiredService<TokenAccessCache>().ApplyAsync(token, opened);
        if (outcome is not { Status: TokenAccessStatus.Current, Principal: { } current })
        {
            return false;
        }

        var authorization = await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(current, context, policy);
        return authorization.Succeeded;
    }
}
