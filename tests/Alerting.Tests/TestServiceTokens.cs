using SentryFlow.Alerting.Evaluation;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>What identity would give alerting's machine client: a viewer's token for the project, signed by the test key analytics trusts.</summary>
public sealed class TestServiceTokens : IServiceAccessTokens
{
    public ValueTask<string> GetAsync(Guid projectId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TestTokens.ForProjects(OrganizationRole.Viewer, projectId));
}
