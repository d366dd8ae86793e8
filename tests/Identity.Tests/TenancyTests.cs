using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SentryFlow.Identity.Tests;

public sealed class TenancyTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private readonly IdentityClient _identity = new(factory);

    private static async Task<Guid> CreateAsync(HttpClient client, string url, string name)
    {
        using var response = await client.PostAsJsonAsync(url, new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task AddMemberAsync(HttpClient owner, Guid organizationId, string email, string role)
    {
        using var response = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Owner_manages_organization_projects_and_members()
    {
        var (ownerId, _, owner) = await _identity.NewUserAsync("owner");
        var organizationId = await CreateAsync(owner, "/api/organizations", "Acme");
        var projectId = await CreateAsync(owner, $"/api/organizations/{organizationId}/projects", "Payments API");
        var (memberId, memberEmail, _) = await _identity.NewUserAsync("member");

        await AddMemberAsync(owner, organizationId, memberEmail, "member");
        using (var promote = await owner.PutAsJsonAsync($"/api/organizations/{organizationId}/members/{memberId}", new { role = "admin" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, promote.StatusCode);
        }

        using (var rename = await owner.PutAsJsonAsync($"/api/organizations/{organizationId}/projects/{projectId}", new { name = "Payments" }))
        {
            Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        }

        var members = await owner.GetFromJsonAsync<JsonElement[]>($"/api/organizations/{organizationId}/members");
        Assert.Equal(["admin", "owner"], members!.OrderBy(m => m.GetProperty("role").GetString()).Select(m => m.GetProperty("role").GetString()));
        Assert.Contains(members!, m => m.GetProperty("userId").GetGuid() == ownerId);

        var projects = await owner.GetFromJsonAsync<JsonElement[]>($"/api/organizations/{organizationId}/projects");
        Assert.Equal("Payments", Assert.Single(projects!).GetProperty("name").GetString());

        using var delete = await owner.DeleteAsync($"/api/organizations/{organizationId}/projects/{projectId}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty((await owner.GetFromJsonAsync<JsonElement[]>($"/api/organizations/{organizationId}/projects"))!);
    }

    [Fact]
    public async Task A_viewer_cannot_do_an_admins_work()
    {
        var (_, _, owner) = await _identity.NewUserAsync("owner");
        var organizationId = await CreateAsync(owner, "/api/organizations", "Viewers Inc");
        var (_, viewerEmail, viewer) = await _identity.NewUserAsync("viewer");
        await AddMemberAsync(owner, organizationId, viewerEmail, "viewer");

        using var read = await viewer.GetAsync($"/api/organizations/{organizationId}/projects");
        using var create = await viewer.PostAsJsonAsync($"/api/organizations/{organizationId}/projects", new { name = "Sneaky" });
        using var rename = await viewer.PutAsJsonAsync($"/api/organizations/{organizationId}", new { name = "Mine now" });
        using var invite = await viewer.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = viewerEmail, role = "owner" });
        using var audit = await viewer.GetAsync($"/api/organizations/{organizationId}/audit");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.All([create, rename, invite, audit], response => Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode));
    }

    [Fact]
    public async Task One_organizations_user_cannot_see_or_touch_another_organization()
    {
        var (_, _, alice) = await _identity.NewUserAsync("alice");
        var aliceOrganization = await CreateAsync(alice, "/api/organizations", "Alice Co");
        var aliceProject = await CreateAsync(alice, $"/api/organizations/{aliceOrganization}/projects", "Secret API");
        var (_, _, mallory) = await _identity.NewUserAsync("mallory");
        await CreateAsync(mallory, "/api/organizations", "Mallory Co");

        HttpResponseMessage[] attempts =
        [
            await mallory.GetAsync($"/api/organizations/{aliceOrganization}"),
            await mallory.GetAsync($"/api/organizations/{aliceOrganization}/projects"),
            await mallory.GetAsync($"/api/organizations/{aliceOrganization}/projects/{aliceProject}"),
            await mallory.GetAsync($"/api/organizations/{aliceOrganization}/members"),
            await mallory.PutAsJsonAsync($"/api/organizations/{aliceOrganization}", new { name = "Pwned" }),
            await mallory.DeleteAsync($"/api/organizations/{aliceOrganization}/projects/{aliceProject}"),
            await mallory.PostAsJsonAsync($"/api/organizations/{aliceOrganization}/members", new { email = "x@example.test", role = "owner" }),
        ];

        foreach (var attempt in attempts)
        {
            Assert.True(attempt.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{attempt.RequestMessage!.RequestUri}: {attempt.StatusCode}");
            Assert.DoesNotContain("Secret API", await attempt.Content.ReadAsStringAsync());
            attempt.Dispose();
        }

        var mine = await mallory.GetFromJsonAsync<JsonElement[]>("/api/organizations");
        Assert.Equal("Mallory Co", Assert.Single(mine!).GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_last_owner_cannot_leave_or_be_demoted()
    {
        var (ownerId, _, owner) = await _identity.NewUserAsync("owner");
        var organizationId = await CreateAsync(owner, "/api/organizations", "Lonely");

        using var leave = await owner.DeleteAsync($"/api/organizations/{organizationId}/members/{ownerId}");
        using var demote = await owner.PutAsJsonAsync($"/api/organizations/{organizationId}/members/{ownerId}", new { role = "member" });
        Assert.Equal(HttpStatusCode.Conflict, leave.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);

        // With a second owner, the first may leave.
        var (_, secondEmail, _) = await _identity.NewUserAsync("second");
        await AddMemberAsync(owner, organizationId, secondEmail, "owner");
        using var leaveNow = await owner.DeleteAsync($"/api/organizations/{organizationId}/members/{ownerId}");
        Assert.Equal(HttpStatusCode.NoContent, leaveNow.StatusCode);
    }

    [Fact]
    public async Task Admins_see_the_audit_trail_of_their_organization()
    {
        var (_, ownerEmail, owner) = await _identity.NewUserAsync("owner");
        var organizationId = await CreateAsync(owner, "/api/organizations", "Audited");
        using (await _identity.RequestTokenAsync(("grant_type", "password"), ("username", ownerEmail), ("password", "Wrong-Password-1")))
        {
        }

        var (memberId, memberEmail, _) = await _identity.NewUserAsync("member");
        await AddMemberAsync(owner, organizationId, memberEmail, "member");
        using (await owner.PutAsJsonAsync($"/api/organizations/{organizationId}/members/{memberId}", new { role = "viewer" }))
        {
        }

        var entries = (await owner.GetFromJsonAsync<JsonElement[]>($"/api/organizations/{organizationId}/audit"))!;
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "sign-in" && !e.GetProperty("succeeded").GetBoolean());
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "sign-in" && e.GetProperty("succeeded").GetBoolean());
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "member-added");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "role-changed" && e.GetProperty("target").GetString() == "member -> viewer");
    }

    [Fact]
    public async Task Only_platform_admins_list_users()
    {
        var (_, _, user) = await _identity.NewUserAsync();
        var admin = _identity.Authorized((await _identity.SignInAsync(IdentityFactory.AdminEmail, IdentityFactory.AdminPassword)).AccessToken);

        using var asUser = await user.GetAsync("/api/users");
        using var asAdmin = await admin.GetAsync("/api/users");

        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_can_neither_sign_in_nor_refresh()
    {
        var email = IdentityClient.NewEmail();
        var userId = await _identity.RegisterAsync(email);
        var tokens = await _identity.SignInAsync(email);
        var admin = _identity.Authorized((await _identity.SignInAsync(IdentityFactory.AdminEmail, IdentityFactory.AdminPassword)).AccessToken);

        using var disable = await admin.PostAsync($"/api/users/{userId}/disable", null);
        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);

        using var signIn = await _identity.RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", IdentityClient.Password));
        using var refresh = await _identity.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken!));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }
}
