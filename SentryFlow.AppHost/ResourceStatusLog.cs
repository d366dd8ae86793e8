using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SentryFlow.AppHost;

/// <summary>
/// Writes each resource's state and health to the AppHost's console as they change, and one line once every resource
/// is running and healthy, so a terminal (or a script waiting on the output) sees the system come up without opening
/// the dashboard. Hidden resources (Aspire's rebuilders) and parameters are left out.
/// </summary>
internal sealed class ResourceStatusLog(ResourceNotificationService notifications, DistributedApplicationModel model, ILogger<ResourceStatusLog> logger)
{
    public const string AllHealthyLine = "All resources are running and healthy.";

    /// <summary>Starts watching as the application starts (a hosted service would start only once the orchestrator's start returned).</summary>
    public static void Subscribe(IDistributedApplicationBuilder builder) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
        {
            var log = new ResourceStatusLog(
                @event.Services.GetRequiredService<ResourceNotificationService>(),
                @event.Model,
                @event.Services.GetRequiredService<ILogger<ResourceStatusLog>>());
            _ = log.WatchAsync(@event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            return Task.CompletedTask;
        });

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var watched = model.Resources.Where(r => r is not ParameterResource).Select(r => r.Name).ToHashSet();
        var last = new Dictionary<string, string>();
        var announced = false;
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Snapshot.IsHidden)
                {
                    watched.Remove(update.Resource.Name);
                }

                if (!watched.Contains(update.Resource.Name))
                {
                    continue;
                }

                var state = update.Snapshot.State?.Text;
                if (string.IsNullOrEmpty(state))
                {
                    continue;
                }

                var health = update.Snapshot.HealthStatus?.ToString();
                var line = health is null || state != KnownResourceStates.Running ? state : $"{state} ({health})";
                var urls = string.Join(' ', update.Snapshot.Urls.Where(url => !url.IsInternal && !url.IsInactive).Select(url => url.Url));
                if (last.GetValueOrDefault(update.Resource.Name) != line)
                {
                    last[update.Resource.Name] = line;
                    logger.LogInformation("{Resource}: {State} {Urls}", update.Resource.Name, line, urls);
                }

                if (!announced && watched.All(name => last.GetValueOrDefault(name) == $"{KnownResourceStates.Running} (Healthy)"))
                {
                    announced = true;
                    logger.LogInformation(AllHealthyLine);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
