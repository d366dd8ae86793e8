using Microsoft.Extensions.Configuration;

namespace SentryFlow.ServiceDefaults;

/// <summary>Reads the <c>ConnectionStrings:{name}</c> values the AppHost (or a person) provides.</summary>
public static class ConnectionStrings
{
    /// <summary>
    /// Returns <c>ConnectionStrings:{name}</c>, or throws an <see cref="InvalidOperationException"/> naming
    /// the environment variable (<c>ConnectionStrings__{name}</c>) that should have provided it.
    /// </summary>
    public static string GetRequired(IConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var value = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Connection string '{name}' is missing: set the environment variable " +
                $"ConnectionStrings__{name} (or ConnectionStrings:{name} in configuration).");
        }

        return value;
    }
}
