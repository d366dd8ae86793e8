using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using SentryFlow.Contracts.Authorization;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Machine clients (CI jobs, gateways) that get tokens by client credentials. Each acts in one organization with
/// a fixed role, kept in the OpenIddict application's properties.
/// </summary>
public sealed class MachineClients(IOpenIddictApplicationManager applications)
{
    public const string OrganizationProperty = "sentryflow_organization";
    public const string RoleProperty = "sentryflow_role";

    public static readonly JsonSerializerOptions JsonOptions = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>Creates a client; the secret is returned once and stored only as a hash (by OpenIddict).</summary>
    public async Task<(string ClientId, string ClientSecret)> CreateAsync(
        Guid organizationId, string name, OrganizationRole role, CancellationToken cancellationToken)
    {
        var clientId = $"sf_{Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12))}";
        var secret = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + SentryFlowClaims.ApiScope },
            Properties =
            {
                [OrganizationProperty] = JsonSerializer.SerializeToElement(organizationId),
                [RoleProperty] = JsonSerializer.SerializeToElement(role, JsonOptions),
            },
        };
        await applications.CreateAsync(descriptor, cancellationToken);
        return (clientId, secret);
    }

    /// <summary>The organization's clients.</summary>
    public async Task<List<MachineClient>> ListAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var clients = new List<MachineClient>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (await DescribeAsync(application, cancellationToken) is { } client && client.OrganizationId == organizationId)
            {
                clients.Add(client);
            }
        }

        return clients;
    }

    /// <summary>Deletes the organization's client; false when it has no such client.</summary>
    public async Task<bool> DeleteAsync(Guid organizationId, string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null || (await DescribeAsync(application, cancellationToken))?.OrganizationId != organizationId)
        {
            return false;
        }

        await applications.DeleteAsync(application, cancellationToken);
        return true;
    }

    /// <summary>The machine client <paramref name="clientId"/>; null when there is none (or it is a service client).</summary>
    public async Task<MachineClient?> FindAsync(string clientId, CancellationToken cancellationToken) =>
        await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application
            ? await DescribeAsync(application, cancellationToken)
            : null;

    private async Task<MachineClient?> DescribeAsync(object application, CancellationToken cancellationToken)
    {
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        if (!properties.TryGetValue(OrganizationProperty, out var organization) || !properties.TryGetValue(RoleProperty, out var role))
        {
            return null;
        }

        return new MachineClient(
            (await applications.GetClientIdAsync(application, cancellationToken))!,
            await applications.GetDisplayNameAsync(application, cancellationToken) ?? "",
            organization.GetGuid(),
            role.Deserialize<OrganizationRole>(JsonOptions));
    }
}
