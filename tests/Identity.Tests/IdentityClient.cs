using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SentryFlow.Identity.Tests;

/// <summary>What a dashboard or CLI does against the identity service: register, sign in, refresh, call the API.</summary>
public sealed class IdentityClient(WebApplicationFactory<Program> factory)
{
    public const string Password = "Correct-Horse-9";

    public HttpClient Anonymous { get; } = factory.CreateClient();

    public static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():n}@example.test";

    public async Task<Guid> RegisterAsync(string email, string password = Password)
    {
        using var response = await Anonymous.PostAsJsonAsync("/api/account/register", new { email, password, displayName = email.Split('@')[0] });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> RequestTokenAsync(params (string Name, string Value)[] form) =>
        Anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public async Task<Tokens> SignInAsync(string email, string password = Password)
    {
        using var response = await RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", password), ("scope", "offline_access api"));
        return await Tokens.ReadAsync(response);
    }

    public async Task<Tokens> RefreshAsync(string refreshToken)
    {
        using var response = await RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken));
        return await Tokens.ReadAsync(response);
    }

    /// <summary>A new user, signed in, with a client that sends their access token.</summary>
    public async Task<(Guid UserId, string Email, HttpClient Client)> NewUserAsync(string who = "user")
    {
        var email = NewEmail(who);
        var id = await RegisterAsync(email);
        return (id, email, Authorized((await SignInAsync(email)).AccessToken));
    }

    public HttpClient Authorized(string accessToken)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public sealed record Tokens(string AccessToken, string? RefreshToken)
    {
        public static async Task<Tokens> ReadAsync(HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"token request answered {response.StatusCode}: {body}");
            var json = JsonDocument.Parse(body).RootElement;
            return new Tokens(json.GetProperty("access_token").GetString()!,
                json.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null);
        }
    }
}
