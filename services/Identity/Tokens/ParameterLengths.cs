using System.Collections.Immutable;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using SentryFlow.Identity.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Refuses, before anything is looked up, a token or revocation request whose form parameter is longer than any valid
/// value: OAuth's <c>invalid_request</c> (400) naming the parameter. (A NUL character never gets here: see <see cref="FormNulGuard"/>.)
/// </summary>
public sealed class ParameterLengths : IOpenIddictServerHandler<ValidateTokenRequestContext>, IOpenIddictServerHandler<ValidateRevocationRequestContext>
{
    /// <summary>Longer than any token identity issues.</summary>
    public const int MaxParameterLength = TokenAccessQuery.MaxTokenLength;

    private static readonly Dictionary<string, int> MaxLengths = new(StringComparer.Ordinal)
    {
        [Parameters.Username] = Limits.Email,
        [Parameters.Password] = Limits.Password,
        [Parameters.ClientId] = Limits.Name,
        [Parameters.ClientSecret] = Limits.Name,
        [Parameters.GrantType] = Limits.Name,
        [Parameters.Scope] = Limits.Name,
        [Parameters.TokenTypeHint] = Limits.Name,
    };

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        Check(context.Request, context);
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ValidateRevocationRequestContext context)
    {
        Check(context.Request, context);
        return ValueTask.CompletedTask;
    }

    private static void Check(OpenIddictRequest request, OpenIddictServerEvents.BaseValidatingContext context)
    {
        foreach (var (name, parameter) in request.GetParameters())
        {
            foreach (var value in Values(parameter))
            {
                var max = MaxLengths.GetValueOrDefault(name, MaxParameterLength);
                if (value.Length > max)
                {
                    context.Reject(Errors.InvalidRequest, $"The '{name}' parameter is longer than {max} characters.");
                    return;
                }
            }
        }
    }

    private static IEnumerable<string> Values(OpenIddictParameter parameter) =>
        (ImmutableArray<string?>?)parameter is { } values ? values.OfType<string>() : (string?)parameter is { } value ? [value] : [];
}
