using System.Text;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Servers;

namespace SentryFlow.Hosting.Orchestration;

/// <summary>The table of resources, their state and URLs, printed once everything is up.</summary>
public static class ResourceTable
{
    public static string Render(IEnumerable<Resource> resources)
    {
        var rows = resources.Where(r => r is not ParameterResource)
            .Select(r => (r.Name, Type: TypeOf(r), State: r.State.ToString(), Urls: string.Join("  ", r.Urls)))
            .ToList();
        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        var typeWidth = Math.Max(4, rows.Max(r => r.Type.Length));
        var stateWidth = Math.Max(5, rows.Max(r => r.State.Length));
        var text = new StringBuilder();
        text.AppendLine($"{"Resource".PadRight(nameWidth)}  {"Type".PadRight(typeWidth)}  {"State".PadRight(stateWidth)}  URLs");
        text.AppendLine($"{new string('-', nameWidth)}  {new string('-', typeWidth)}  {new string('-', stateWidth)}  ----");
        foreach (var row in rows)
        {
            text.AppendLine($"{row.Name.PadRight(nameWidth)}  {row.Type.PadRight(typeWidth)}  {row.State.PadRight(stateWidth)}  {row.Urls}");
        }

        return text.ToString();
    }

    private static string TypeOf(Resource resource) => resource switch
    {
        PostgresServerResource => "PostgreSQL",
        PostgresDatabaseResource => "Database",
        RedisResource => "Redis",
        RabbitMQServerResource => "RabbitMQ",
        ProjectResource => "Project",
        _ => resource.GetType().Name,
    };
}
