using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SentryFlow.ServiceDefaults.Problems;

public static class ProblemsExtensions
{
    /// <summary>The path where a service lists every problem it can answer.</summary>
    public const string ProblemsPath = "/problems";

    /// <summary>Declares a service's own catalogue: a static class of <see cref="ProblemType"/> fields.</summary>
    public static IHostApplicationBuilder AddProblemCatalogue(this IHostApplicationBuilder builder, Type catalogue)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new ServiceProblems(catalogue));
        return builder;
    }

    /// <summary>
    /// Problem details for every error answer, each with a <c>code</c> and a <c>type</c>: an answer an endpoint gave a
    /// <see cref="ProblemType"/> keeps it; any other (routing's 404, the token handler's 401, binding's 400, a 500) gets
    /// the <see cref="CommonProblems"/> one for its status.
    /// </summary>
    internal static IServiceCollection AddCodedProblemDetails(this IServiceCollection services)
    {
        services.AddSingleton<ProblemCatalogue>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Extensions.ContainsKey(ProblemType.CodeMember))
            {
                return;
            }

            var catalogue = context.HttpContext.RequestServices.GetRequiredService<ProblemCatalogue>();
            var common = catalogue.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
            problem.Type = common.Type;
            problem.Title = common.Title;
            problem.Extensions[ProblemType.CodeMember] = common.Code;
        });
        return services;
    }

    internal static void MapProblemCatalogue(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(ProblemsPath, (ProblemCatalogue catalogue) => TypedResults.Ok(catalogue.Problems.Select(problem =>
                new ProblemDescription(problem.Code, problem.Type, problem.Status, problem.Title))))
            .ExcludeFromDescription();
}

/// <summary>One entry of <c>GET /problems</c>.</summary>
public sealed record ProblemDescription(string Code, string Type, int Status, string Title);
