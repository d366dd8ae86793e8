using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SentryFlow.Identity.Apis;

/// <summary>
/// Adds the OAuth endpoints to identity's OpenAPI document: <c>/connect/token</c> (whose decisions <see cref="TokenApi"/>
/// makes) and <c>/connect/revoke</c> (answered by OpenIddict itself, so no endpoint of ours describes it), each with
/// its form parameters. Their errors keep OAuth's shape (RFC 6749 §5.2), not problem details.
/// </summary>
public sealed class ConnectEndpointsDocument : IOpenApiDocumentTransformer
{
    private const string Tag = "OAuth";
    private const string Form = "application/x-www-form-urlencoded";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = Tag, Description = "OAuth 2.0 / OpenID Connect endpoints; discovery at /.well-known/openid-configuration." });

        document.Paths["/connect/token"] = Post(
            "Issues tokens: the password grant (people), refresh_token (with rotation), client_credentials (machine clients).",
            Schema(["grant_type"],
                ("grant_type", "password, refresh_token or client_credentials.", ["password", "refresh_token", "client_credentials"]),
                ("username", "The account's email (password grant).", null),
                ("password", "The account's password (password grant).", null),
                ("refresh_token", "The refresh token to redeem (refresh_token grant); it works once.", null),
                ("client_id", "The machine client's id (client_credentials grant).", null),
                ("client_secret", "The machine client's secret (client_credentials grant).", null),
                ("scope", "Space-separated: 'api' (always granted), 'offline_access' for a refresh token.", null)),
            new()
            {
                ["200"] = Json("The tokens: access_token, token_type, expires_in, and refresh_token when offline_access was asked for.",
                    Object(("access_token", JsonSchemaType.String), ("token_type", JsonSchemaType.String), ("expires_in", JsonSchemaType.Integer),
                        ("refresh_token", JsonSchemaType.String), ("scope", JsonSchemaType.String))),
                ["400"] = OAuthError("invalid_request, invalid_grant (wrong password, disabled or locked account, used refresh token), unsupported_grant_type."),
                ["401"] = OAuthError("invalid_client: the client secret is wrong."),
                ["429"] = new OpenApiResponse { Description = "Too many attempts for this account or from this address; see Retry-After." },
            });

        document.Paths["/connect/revoke"] = Post(
            "Revokes a token (RFC 7009): a refresh token (sign-out) or an access token; every SentryFlow service refuses a revoked access token within seconds.",
            Schema(["token"],
                ("token", "The refresh or access token to revoke.", null),
                ("token_type_hint", "refresh_token or access_token.", ["refresh_token", "access_token"]),
                ("client_id", "The machine client's id, when the token was issued to one.", null),
                ("client_secret", "The machine client's secret.", null)),
            new()
            {
                ["200"] = new OpenApiResponse { Description = "Revoked (or it was not a valid token: RFC 7009 answers 200 either way)." },
                ["400"] = OAuthError("invalid_request or unsupported_token_type."),
            });
        return Task.CompletedTask;
    }

    private static OpenApiPathItem Post(string summary, OpenApiSchema form, OpenApiResponses responses) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Post] = new()
            {
                Summary = summary,
                Tags = new HashSet<OpenApiTagReference> { new(Tag) },
                RequestBody = new OpenApiRequestBody { Required = true, Content = new Dictionary<string, OpenApiMediaType> { [Form] = new() { Schema = form } } },
                Responses = responses,
            },
        },
    };

    private static OpenApiSchema Schema(string[] required, params (string Name, string Description, string[]? Values)[] fields) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string>(required),
        Properties = fields.ToDictionary(f => f.Name, f => (IOpenApiSchema)new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = f.Description,
            Enum = f.Values?.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!).ToList(),
        }),
    };

    private static OpenApiSchema Object(params (string Name, JsonSchemaType Type)[] fields) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = fields.ToDictionary(f => f.Name, f => (IOpenApiSchema)new OpenApiSchema { Type = f.Type }),
    };

    private static OpenApiResponse Json(string description, OpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    private static OpenApiResponse OAuthError(string description) =>
        Json(description, Object(("error", JsonSchemaType.String), ("error_description", JsonSchemaType.String)));
}
