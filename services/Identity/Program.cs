using SentryFlow.Contracts;
using SentryFlow.Identity.Apis;
using SentryFlow.Identity.Infrastructure;
using SentryFlow.Identity.Tokens;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<IdentityDbContext>(SentryFlowResources.IdentityDb);
builder.AddSentryFlowMessaging();
builder.AddSentryFlowOutbox<IdentityDbContext>();
builder.AddIdentityServices();
builder.Services.AddValidation();
// Identity takes small forms and JSON bodies only.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);

builder.AddDefaultOpenApi();
builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", openApi => openApi.AddDocumentTransformer<ConnectEndpointsDocument>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.Use(FormNulGuard.InvokeAsync);
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapTokenApi();
app.MapTokenAccessApi();
app.MapAccountApi();
app.MapUsersApi();
app.MapOrganizationsApi();
app.MapProjectsApi();
app.MapMembersApi();
app.MapClientsApi();
app.MapAuditApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
