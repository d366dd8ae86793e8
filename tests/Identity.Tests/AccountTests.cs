using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SentryFlow.Identity.Tests;

public sealed class AccountTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private readonly IdentityClient _identity = new(factory);

    [Fact]
    public async Task Sign_up_sign_in_refresh_and_sign_out()
    {
        var email = IdentityClient.NewEmail();
        var userId = await _identity.RegisterAsync(email);

        var tokens = await _identity.SignInAsync(email);
        Assert.NotNull(tokens.RefreshToken);
        using var me = await _identity.Authorized(tokens.AccessToken).GetFromJsonAsync<JsonDocument>("/api/account/me");
        Assert.Equal(userId, me!.RootElement.GetProperty("id").GetGuid());
        Assert.Equal(email, me.RootElement.GetProperty("email").GetString());

        // Refresh rotates: a new refresh token, and the old one is spent.
        var refreshed = await _identity.RefreshAsync(tokens.RefreshToken!);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        using var replay = await _identity.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken!));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("invalid_grant", await replay.Content.ReadAsStringAsync());

        // Sign-out revokes the refresh token.
        using var revoke = await _identity.Anonymous.PostAsync("/connect/revoke", new FormUrlEncodedContent(
            [KeyValuePair.Create("token", refreshed.RefreshToken!), KeyValuePair.Create("token_type_hint", "refresh_token")]));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var afterSignOut = await _identity.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshed.RefreshToken!));
        Assert.Equal(HttpStatusCode.BadRequest, afterSignOut.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_is_refused_without_saying_which_part_was_wrong()
    {
        var email = IdentityClient.NewEmail();
        await _identity.RegisterAsync(email);

        using var wrongPassword = await _identity.RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", "Not-The-Password-1"));
        using var unknownUser = await _identity.RequestTokenAsync(("grant_type", "password"), ("username", IdentityClient.NewEmail()), ("password", "Whatever-Pass-1"));

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
        Assert.Equal(
            JsonDocument.Parse(await wrongPassword.Content.ReadAsStringAsync()).RootElement.GetProperty("error_description").GetString(),
            JsonDocument.Parse(await unknownUser.Content.ReadAsStringAsync()).RootElement.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Lockout_engages_after_repeated_failures_and_lifts()
    {
        var email = IdentityClient.NewEmail();
        await _identity.RegisterAsync(email);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var failed = await _identity.RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", "Wrong-Password-1"));
            Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        }

        using var whileLocked = await _identity.RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", IdentityClient.Password));
        Assert.Equal(HttpStatusCode.BadRequest, whileLocked.StatusCode);
        Assert.Contains("locked", await whileLocked.Content.ReadAsStringAsync());

        await Task.Delay(IdentityFactory.LockoutDuration + TimeSpan.FromSeconds(1));
        var tokens = await _identity.SignInAsync(email);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    [Fact]
    public async Task Profile_and_password_can_be_changed()
    {
        var (_, email, client) = await _identity.NewUserAsync();

        using var rename = await client.PutAsJsonAsync("/api/account/me", new { displayName = "Ada" });
        Assert.Equal(HttpStatusCode.NoContent, rename.StatusCode);
        using var wrongCurrent = await client.PostAsJsonAsync("/api/account/password", new { currentPassword = "Nope-Nope-123", newPassword = "Brand-New-Pass-7" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.Contains("currentPassword", await wrongCurrent.Content.ReadAsStringAsync());
        using var change = await client.PostAsJsonAsync("/api/account/password", new { currentPassword = IdentityClient.Password, newPassword = "Brand-New-Pass-7" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        await _identity.SignInAsync(email, "Brand-New-Pass-7");
        using var me = await client.GetFromJsonAsync<JsonDocument>("/api/account/me");
        Assert.Equal("Ada", me!.RootElement.GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("""{"password":"Correct-Horse-9","displayName":"x"}""", "email")]
    [InlineData("""{"email":"not-an-email","password":"Correct-Horse-9","displayName":"x"}""", "email")]
    [InlineData("""{"email":"weak@example.test","password":"short","displayName":"x"}""", "password")]
    [InlineData("""{"email":"weak2@example.test","password":"alllowercaseletters","displayName":"x"}""", "password")]
    [InlineData("""{"email":"long@example.test","password":"Correct-Horse-9","displayName":"LONG"}""", "displayName")]
    [InlineData("""{"email":"bad-json@example.test","password":"Correct-Horse-9","displayName":""", "displayName")]
    public async Task Bad_registration_gets_400_naming_the_field(string body, string field)
    {
        body = body.Replace("LONG", new string('x', 5000));

        using var response = await _identity.Anonymous.PostAsync("/api/account/register", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase)), errors.ToString());
    }

    [Fact]
    public async Task Registering_an_email_twice_names_the_email()
    {
        var email = IdentityClient.NewEmail();
        await _identity.RegisterAsync(email);

        using var again = await _identity.Anonymous.PostAsJsonAsync("/api/account/register", new { email, password = IdentityClient.Password, displayName = "again" });

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("\"email\"", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_content_type_is_refused_with_problem_details()
    {
        using var response = await _identity.Anonymous.PostAsync("/api/account/register",
            new StringContent("email=a@b.c&password=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_refuses_anonymous_and_garbage_tokens()
    {
        using var anonymous = await _identity.Anonymous.GetAsync("/api/account/me");
        using var garbage = await _identity.Authorized("not.a.token").GetAsync("/api/account/me");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
    }
}
