using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using SentryFlow.Contracts.Authorization;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>A service whose answers about tokens the tests change, as identity's change when a member is removed or a token revoked.</summary>
public sealed class ChangingAccessFactory : ServiceFactory<Program>
{
    public ChangingAccessFactory() => ConfigureTestServices = services => services.AddSingleton<ITokenAccessSource>(Access);

    public ChangingTokenAccess Access { get; } = new();
}

/// <summary>Identity's answers as the token's own claims, except for tokens the test revoked or took the project roles of.</summary>
public sealed class ChangingTokenAccess : ITokenAccessSource
{
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _withoutProjects = new(StringComparer.Ordinal);

    public void Revoke(string token) => _revoked[token] = true;

    public void RemoveFromProjects(string token) => _withoutProjects[token] = true;

    public Task<IReadOnlyList<TokenAccess>> FetchAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TokenAccess>>([.. tokens.Select(token =>
        {
            var claims = new JsonWebToken(token).Claims.ToList();
            string[] Values(string type) => [.. claims.Where(c => c.Type == type).Select(c => c.Value)];
            var projects = _withoutProjects.ContainsKey(token) ? [] : Values(SentryFlowClaims.ProjectRole);
            return new TokenAccess(!_revoked.ContainsKey(token), Values("role"), Values(SentryFlowClaims.OrganizationRole), projects);
        })]);
}

/// <summary>An open live stream ends within seconds of its caller losing access; a caller who keeps access keeps the stream.</summary>
public sealed class LiveStreamAccessTests(ChangingAccessFactory factory) : IClassFixture<ChangingAccessFactory>
{
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("live")]
    [InlineData("requests/tail")]
    public async Task A_stream_ends_when_the_token_is_revoked(string stream)
    {
        var (project, token, http) = Viewer();
        using var sse = await SseClient.OpenAsync(http, $"/api/projects/{project}/analytics/{stream}");

        factory.Access.Revoke(token);

        Assert.True(await sse.EndsWithinAsync(WithinSeconds), "the stream outlived its revoked token");
    }

    [Fact]
    public async Task A_stream_ends_when_the_member_is_removed_from_the_project()
    {
        var (project, token, http) = Viewer();
        using var sse = await SseClient.OpenAsync(http, $"/api/projects/{project}/analytics/live");

        factory.Access.RemoveFromProjects(token);

        Assert.True(await sse.EndsWithinAsync(WithinSeconds), "the stream outlived its caller's membership");
    }

    [Fact]
    public async Task A_stream_ends_when_its_token_expires()
    {
        var project = Guid.NewGuid();
        var token = TestTokens.Mint(
            $"user-{Guid.NewGuid():n}",
            DateTime.UtcNow.AddSeconds(3),
            new System.Security.Claims.Claim(SentryFlowClaims.ProjectRole, SentryFlowClaims.Format(project, OrganizationRole.Viewer)));
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var sse = await SseClient.OpenAsync(http, $"/api/projects/{project}/analytics/live");

        Assert.True(await sse.EndsWithinAsync(WithinSeconds), "the stream outlived its token");
    }

    [Fact]
    public async Task A_stream_of_a_caller_who_keeps_access_stays_open_past_the_checks()
    {
        var (project, _, http) = Viewer();
        using var sse = await SseClient.OpenAsync(http, $"/api/projects/{project}/analytics/live");

        // Three access checks (one every TokenAccessCache.RefreshInterval) pass without ending it.
        Assert.False(await sse.EndsWithinAsync(TokenAccessCache.RefreshInterval * 3.5));
    }

    private (Guid Project, string Token, HttpClient Http) Viewer()
    {
        var project = Guid.NewGuid();
        var token = TestTokens.ForProjects(OrganizationRole.Viewer, project);
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return (project, token, http);
    }
}
