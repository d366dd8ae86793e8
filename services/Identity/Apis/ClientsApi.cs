using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Apis.Requests;
using SentryFlow.Identity.Apis.Responses;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Tenancy;
using SentryFlow.Identity.Tokens;

namespace SentryFlow.Identity.Apis;

/// <summary>An organization's machine clients (client-credentials flow), managed by its admins.</summary>
public static class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var clients = app.MapGroup("/api/organizations/{organizationId:guid}/clients").WithTags("Machine clients").RequireAuthorization();
        clients.MapPost("/", CreateAsync);
        clients.MapGet("/", ListAsync);
        clients.MapDelete("/{clientId}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(
        Guid organizationId, CreateClientRequest request, HttpContext http, OrganizationAccess access, MachineClients clients, AuditLog audit,
        CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        var role = request.Role!.Value;
        if (role > OrganizationRole.Admin)
        {
            return IdentityProblems.ClientRoleTooHigh.Validation("role", "A machine client can be at most an admin.");
        }

        var (clientId, secret) = await clients.CreateAsync(organizationId, request.Name, role, cancellationToken);
        await audit.RecordAsync(AuditActions.ClientCreated, succeeded: true, organizationId: organizationId, target: clientId);
        return TypedResults.Created($"/api/organizations/{organizationId}/clients/{clientId}", new ClientCreatedResponse(clientId, secret, request.Name, role));
    }

    private static async Task<IResult> ListAsync(
        Guid organizationId, HttpContext http, OrganizationAccess access, MachineClients clients, CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        return TypedResults.Ok(await clients.ListAsync(organizationId, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(
        Guid organizationId, string clientId, HttpContext http, OrganizationAccess access, MachineClients clients, CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        return await clients.DeleteAsync(organizationId, clientId, cancellationToken)
            ? TypedResults.NoContent()
            : IdentityProblems.ClientNotFound.Result();
    }
}
