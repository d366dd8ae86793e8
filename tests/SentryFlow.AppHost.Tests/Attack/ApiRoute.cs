using System.Net.Http.Json;
using System.Text.Json;

namespace SentryFlow.AppHost.Tests.Attack;

/// <summary>
/// One operation of a service's OpenAPI document: what the attack sweeps call. Read from the running services, so an
/// endpoint added tomorrow is swept without editing the suite.
/// </summary>
public sealed record ApiRoute(
    string Service,
    HttpMethod Method,
    string Template,
    IReadOnlyList<string> PathParameters,
    IReadOnlyList<ApiParameter> QueryParameters,
    JsonElement? Body,
    OpenApiSchemas Schemas)
{
    public override string ToString() => $"{Service} {Method} {Template}";

    /// <summary>The path with each parameter given by <paramref name="idFor"/> (a tenant's ids, by parameter name).</summary>
    public string Path(Func<string, string> idFor) =>
        PathParameters.Aggregate(Template, (path, name) => path.Replace($"{{{name}}}", Uri.EscapeDataString(idFor(name)), StringComparison.Ordinal));

    /// <summary>Reads every operation of <paramref name="service"/>'s document at <c>/openapi/v1.json</c>.</summary>
    public static async Task<IReadOnlyList<ApiRoute>> ReadAsync(string service, HttpClient client)
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemas = new OpenApiSchemas(document);
        var routes = new List<ApiRoute>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var common) ? common.EnumerateArray().ToList() : [];
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var parameters = shared.Concat(operation.Value.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : [])
                    .Select(p => new ApiParameter(
                        p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var schema) ? schema : null))
                    .ToList();
                JsonElement? body = operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } json
                    && json.Value.TryGetProperty("schema", out var bodySchema)
                        ? bodySchema
                        : null;
                routes.Add(new ApiRoute(
                    service,
                    new HttpMethod(operation.Name.ToUpperInvariant()),
                    path.Name,
                    parameters.Where(p => p.In == "path").Select(p => p.Name).ToList(),
                    parameters.Where(p => p.In == "query").ToList(),
                    body,
                    schemas));
            }
        }

        return routes;
    }
}

/// <summary>A query or path parameter of an operation, with its schema when the document gives one.</summary>
public sealed record ApiParameter(string Name, string In, JsonElement? Schema);
