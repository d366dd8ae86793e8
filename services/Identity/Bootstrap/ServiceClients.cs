using OpenIddict.Abstractions;
using SentryFlow.Contracts.Authorization;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Bootstrap;

/// <summary>
/// Registers SentryFlow's own services as clients at start, from <c>Identity:ServiceClients:{clientId}</c> = secret
/// (the AppHost generates one secret per calling service and gives it to identity and to that service). Their
/// tokens carry the role <see cref="SentryFlowClaims.Service"/> and no organization. A changed secret replaces the
/// stored one, so the newest configuration always wins.
/// </summary>
public sealed partial class ServiceClients(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ServiceClients> logger)
    : IHostedService
{
    public const string ServiceProperty = "sentryflow_service";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clients = configuration.GetSection("Identity:ServiceClients").GetChildren().Where(c => !string.IsNullOrEmpty(c.Value)).ToList();
        if (clients.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in clients)
        {
            var application = await applications.FindByClientIdAsync(client.Key, cancellationToken);
            if (application is null)
            {
                await applications.CreateAsync(new OpenIddictApplicationDescriptor
                {
                    ClientId = client.Key,
                    ClientSecret = client.Value,
                    ClientType = ClientTypes.Confidential,
                    DisplayName = $"SentryFlow {client.Key} service",
                    Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + SentryFlowClaims.ApiScope },
                    Properties = { [ServiceProperty] = System.Text.Json.JsonSerializer.SerializeToElement(true) },
                }, cancellationToken);
                LogRegistered(logger, client.Key);
            }
            else if (!await applications.ValidateClientSecretAsync(application, client.Value!, cancellationToken))
            {
                if (!(await applications.GetPropertiesAsync(application, cancellationToken)).ContainsKey(ServiceProperty))
                {
                    throw new InvalidOperationException($"The service client '{client.Key}' would take over an existing client of that id.");
                }

                await applications.UpdateAsync(application, client.Value!, cancellationToken);
                LogSecretChanged(logger, client.Key);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered the service client {ClientId}")]
    private static partial void LogRegistered(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The service client {ClientId} has a new secret")]
    private static partial void LogSecretChanged(ILogger logger, string clientId);
}
