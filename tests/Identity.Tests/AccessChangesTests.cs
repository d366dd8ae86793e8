using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SentryFlow.Identity.Tests;

/// <summary>
/// Access changed in identity takes effect in another service (keys) within 5 seconds, both ways, with the same token:
/// nobody signs in again.
/// </summary>
public sealed class AccessChangesTests(KeysBesideIdentity services) : IClassFixture<KeysBesideIdentity>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly IdentityClient _identity = new(services.Identity);

    [Fact]
    public async Task A_member_added_after_signing_in_reads_the_projects_keys_within_5_seconds()
    {
        var (organizationId, projectId, owner) = await NewProjectAsync();
        var (_, email, token) = await NewUserTokenAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await ListKeysAsync(projectId, token));

        await AddMemberAsync(owner, organizationId, email, "viewer");

        await WithinBoundAsync(() => ListKeysAsync(projectId, token), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_removed_member_loses_the_projects_keys_within_5_seconds()
    {
        var (organizationId, projectId, owner, userId, token) = await NewMemberAsync();

        using (var removed = await owner.DeleteAsync($"/api/organizations/{organizationId}/members/{userId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        await WithinBoundAsync(() => ListKeysAsync(projectId, token), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, await CreateKeyAsync(projectId, token));
    }

    [Fact]
    public async Task A_member_lowered_to_viewer_can_no_longer_mint_keys_within_5_seconds()
    {
        var (organizationId, projectId, owner, userId, token) = await NewMemberAsync();
        Assert.Equal(HttpStatusCode.Created, await CreateKeyAsync(projectId, token));

        using (var lowered = await owner.PutAsJsonAsync($"/api/organizations/{organizationId}/members/{userId}", new { role = "viewer" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, lowered.StatusCode);
        }

        await WithinBoundAsync(() => CreateKeyAsync(projectId, token), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, await ListKeysAsync(projectId, token));
    }

    [Fact]
    public async Task A_disabled_users_token_stops_working_within_5_seconds()
    {
        var (_, projectId, _, userId, token) = await NewMemberAsync();

        var admin = _identity.Authorized((await _identity.SignInAsync(IdentityFactory.AdminEmail, IdentityFactory.AdminPassword)).AccessToken);
        using (var disabled = await admin.PostAsync($"/api/users/{userId}/disable", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        }

        await WithinBoundAsync(() => ListKeysAsync(projectId, token), HttpStatusCode.Unauthorized);
        using var me = await _identity.Authorized(token).GetAsync("/api/account/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task A_deleted_machine_clients_token_stops_working_within_5_seconds()
    {
        var (organizationId, projectId, owner) = await NewProjectAsync();
        using var created = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/clients", new { name = "gateway", role = "member" });
        var client = await created.Content.ReadFromJsonAsync<JsonElement>();
        var clientId = client.GetProperty("clientId").GetString()!;
        var token = (await IdentityClient.Tokens.ReadAsync(await _identity.RequestTokenAsync(
            ("grant_type", "client_credentials"), ("client_id", clientId),
            ("client_secret", client.GetProperty("clientSecret").GetString()!), ("scope", "api")))).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await ListKeysAsync(projectId, token));

        using (var deleted = await owner.DeleteAsync($"/api/organizations/{organizationId}/clients/{clientId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await WithinBoundAsync(() => ListKeysAsync(projectId, token), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_access_token_stops_working_within_5_seconds_and_at_once_in_identity()
    {
        var (_, projectId, _, _, token) = await NewMemberAsync();

        using (var revoked = await _identity.Anonymous.PostAsync("/connect/revoke", new FormUrlEncodedContent(
                   new Dictionary<string, string> { ["token"] = token, ["token_type_hint"] = "access_token" })))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        using var me = await _identity.Authorized(token).GetAsync("/api/account/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        await WithinBoundAsync(() => ListKeysAsync(projectId, token), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_organization_and_project_created_after_signing_in_work_with_the_same_token_at_once()
    {
        var (_, _, token) = await NewUserTokenAsync();
        var owner = _identity.Authorized(token);
        using var organization = await owner.PostAsJsonAsync("/api/organizations", new { name = "Made after sign-in" });
        var organizationId = (await organization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var project = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/projects", new { name = "New" });
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // A refusal is confirmed with identity before it is given, so the very first call already works.
        Assert.Equal(HttpStatusCode.Created, await CreateKeyAsync(projectId, token));
        Assert.Equal(HttpStatusCode.OK, await ListKeysAsync(projectId, token));
    }

    [Fact]
    public async Task A_project_created_after_a_machine_client_signed_in_is_reachable_with_its_token()
    {
        var (organizationId, _, owner) = await NewProjectAsync();
        using var created = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/clients", new { name = "ci", role = "member" });
        var client = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = (await IdentityClient.Tokens.ReadAsync(await _identity.RequestTokenAsync(
            ("grant_type", "client_credentials"), ("client_id", client.GetProperty("clientId").GetString()!),
            ("client_secret", client.GetProperty("clientSecret").GetString()!), ("scope", "api")))).AccessToken;

        using var project = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/projects", new { name = "Later" });
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await WithinBoundAsync(() => ListKeysAsync(projectId, token), HttpStatusCode.OK);
    }

    /// <summary>Polls until <paramref name="call"/> answers <paramref name="expected"/>, failing if that takes more than 5 s.</summary>
    private static async Task WithinBoundAsync(Func<Task<HttpStatusCode>> call, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode last;
        while ((last = await call()) != expected && clock.Elapsed < Bound)
        {
            await Task.Delay(100);
        }

        Assert.True(last == expected, $"still {last} after {clock.Elapsed.TotalSeconds:0.0} s, expected {expected} within {Bound.TotalSeconds} s");
    }

    private async Task<HttpStatusCode> ListKeysAsync(Guid projectId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/keys");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await services.Keys.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> CreateKeyAsync(Guid projectId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/keys") { Content = JsonContent.Create(new { name = "k" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await services.Keys.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A project and a user signed in before being made a member of its organization, seen as one by keys.</summary>
    private async Task<(Guid OrganizationId, Guid ProjectId, HttpClient Owner, Guid UserId, string Token)> NewMemberAsync()
    {
        var (organizationId, projectId, owner) = await NewProjectAsync();
        var (userId, email, token) = await NewUserTokenAsync();
        await AddMemberAsync(owner, organizationId, email, "member");
        await WithinBoundAsync(() => ListKeysAsync(projectId, token), HttpStatusCode.OK);
        return (organizationId, projectId, owner, userId, token);
    }

    private async Task<(Guid UserId, string Email, string Token)> NewUserTokenAsync()
    {
        var email = IdentityClient.NewEmail();
        var userId = await _identity.RegisterAsync(email);
        return (userId, email, (await _identity.SignInAsync(email)).AccessToken);
    }

    private async Task<(Guid OrganizationId, Guid ProjectId, HttpClient Owner)> NewProjectAsync()
    {
        var (_, _, owner) = await _identity.NewUserAsync("owner");
        using var organization = await owner.PostAsJsonAsync("/api/organizations", new { name = "Access" });
        var organizationId = (await organization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var project = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/projects", new { name = "P" });
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        return (organizationId, projectId, owner);
    }

    private static async Task AddMemberAsync(HttpClient owner, Guid organizationId, string email, string role)
    {
        using var added = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email, role });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
    }
}
