using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Testing;

/// <summary>
/// Another SentryFlow service as far as tokens go: the shared defaults and <c>AddSentryFlowAuthentication()</c>,
/// with an open endpoint and one per policy. Its JwtBearer reaches the identity service under test for discovery and keys.
/// </summary>
public static class ApiServiceHost
{
    public static async Task<WebApplication> StartAsync<TIdentity>(WebApplicationFactory<TIdentity> identity) where TIdentity : class
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration[AuthenticationExtensions.AuthorityKey] = identity.Server.BaseAddress.ToString();
        builder.AddServiceDefaults();
        builder.AddSentryFlowAuthentication();
        // Configure, not PostConfigure: JwtBearer builds its metadata manager from the backchannel in its own PostConfigure.
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            options => options.Backchannel = new HttpClient(identity.Server.CreateHandler()));

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/open", () => "open");
        app.MapGet("/whoami", (HttpContext http) => http.User.FindFirst("sub")!.Value).RequireAuthorization();
        app.MapGet("/internal", () => "internal").RequireAuthorization(SentryFlowPolicies.InternalService);
        app.MapGet("/projects/{projectId:guid}/data", () => "project data").RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        app.MapPost("/projects/{projectId:guid}/data", () => "written").RequireAuthorization(SentryFlowPolicies.ProjectMember);
        await app.StartAsync();
        return app;
    }

    /// <summary>Calls <paramref name="path"/> on a host started by <see cref="StartAsync"/> with <paramref name="token"/>.</summary>
    public static async Task<HttpResponseMessage> CallAsync(WebApplication api, string path, string token, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await api.GetTestClient().SendAsync(request);
    }
}
