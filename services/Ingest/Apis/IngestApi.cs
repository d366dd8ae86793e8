using Microsoft.AspNetCore.Mvc;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Ingest.Records;

namespace SentryFlow.Ingest.Apis;

/// <summary>
/// The front door for data: request records and generic events, one or a batch, authenticated by an ingest key.
/// Good items of a batch are accepted and bad ones named; 202 means the broker has confirmed; 503 with
/// Retry-After means the post is not accepted (some of its items may still arrive) and it should be sent again, ids
/// unchanged, so each item is stored once.
/// </summary>
public static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/v1").WithTags("Ingest")
            .AddEndpointFilter<IngestKeyFilter>()
            .WithMetadata(new RequestSizeLimitAttribute(IngestLimits.MaxBatchBytes));
        ingest.MapPost("/requests", (HttpContext http, IngestPipeline pipeline) => pipeline.IngestRecordsAsync(http, batch: false));
        ingest.MapPost("/requests/batch", (HttpContext http, IngestPipeline pipeline) => pipeline.IngestRecordsAsync(http, batch: true));
        ingest.MapPost("/events", (HttpContext http, IngestPipeline pipeline) => pipeline.IngestEventsAsync(http, batch: false));
        ingest.MapPost("/events/batch", (HttpContext http, IngestPipeline pipeline) => pipeline.IngestEventsAsync(http, batch: true));
        return app;
    }
}
