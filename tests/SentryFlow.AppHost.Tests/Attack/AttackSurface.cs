using SentryFlow.Contracts;

namespace SentryFlow.AppHost.Tests.Attack;

/// <summary>
/// What the attack sweeps share, made once per AppHost: every route of every service's OpenAPI document and three
/// tenants. The attacker (A) probes the victim's (B's) ids; the corpus is thrown at a tenant of its own (C), so what it
/// changes or breaks touches neither.
/// </summary>
public sealed class AttackSurface
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (AppHostFixture Fixture, AttackSurface Surface)? _made;

    private AttackSurface(IReadOnlyList<ApiRoute> routes, AttackTenant attacker, AttackTenant victim, AttackTenant corpus)
    {
        Routes = routes;
        Attacker = attacker;
        Victim = victim;
        Corpus = corpus;
    }

    public IReadOnlyList<ApiRoute> Routes { get; }

    public AttackTenant Attacker { get; }

    public AttackTenant Victim { get; }

    public AttackTenant Corpus { get; }

    public static async Task<AttackSurface> GetAsync(AppHostFixture fixture)
    {
        await Gate.WaitAsync();
        try
        {
            if (_made is { } made && ReferenceEquals(made.Fixture, fixture))
            {
                return made.Surface;
            }

            var routes = new List<ApiRoute>();
            foreach (var service in SentryFlowResources.Services)
            {
                using var client = fixture.CreateHttpClient(service);
                routes.AddRange(await ApiRoute.ReadAsync(service, client));
            }

            var surface = new AttackSurface(
                routes,
                await AttackTenant.CreateAsync(fixture, "attacker"),
                await AttackTenant.CreateAsync(fixture, "victim"),
                await AttackTenant.CreateAsync(fixture, "corpus"));
            _made = (fixture, surface);
            return surface;
        }
        finally
        {
            Gate.Release();
        }
    }
}
