using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SentryFlow.ServiceDefaults.Tests;

/// <summary>A minimal service built on the defaults, in memory, with whatever endpoints a test needs.</summary>
internal static class TestApp
{
    public static async Task<WebApplication> StartAsync(
        Dictionary<string, string?> configuration,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "servicedefaults-tests",
            EnvironmentName = "Development",
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        configureApp?.Invoke(app);
        await app.StartAsync();
        return app;
    }
}
