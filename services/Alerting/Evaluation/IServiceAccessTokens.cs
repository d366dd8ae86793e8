namespace SentryFlow.Alerting.Evaluation;

/// <summary>The access token alerting presents to analytics when it evaluates a rule of <c>projectId</c>.</summary>
public interface IServiceAccessTokens
{
    ValueTask<string> GetAsync(Guid projectId, CancellationToken cancellationToken);
}
