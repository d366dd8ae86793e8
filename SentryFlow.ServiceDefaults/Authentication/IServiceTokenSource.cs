namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>Where a service gets the access token it sends when it calls another SentryFlow service.</summary>
public interface IServiceTokenSource
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}
