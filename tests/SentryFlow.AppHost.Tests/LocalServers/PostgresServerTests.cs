using SentryFlow.Hosting.LocalServers;

namespace SentryFlow.AppHost.Tests.LocalServers;

/// <summary>Where a cluster lives, and that cleaning the state folder cleans the cluster kept for it.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task A_cleaned_state_folder_gets_a_new_cluster_even_when_the_cluster_lives_outside_it()
    {
        // A folder only its owner can enter: as root, the postgres user cannot reach what is inside, so the cluster
        // is kept in a folder of that user's own; as anyone else, the cluster is inside the state folder.
        var closed = Directory.CreateTempSubdirectory("sentryflow-closed-").FullName;
        var folder = Path.Combine(closed, "postgres");
        string? data = null;
        try
        {
            await DebianPackages.EnsureInstalledAsync([PostgresServer.Package], _ => { }, CancellationToken.None);
            data = await PostgresServer.InitializeAsync(folder, "first-password", _ => { }, CancellationToken.None);
            Assert.True(File.Exists(Path.Combine(data, "PG_VERSION")));
            Assert.Equal(!ProcessSignals.IsRoot, data.StartsWith(folder, StringComparison.Ordinal));
            var sentinel = Path.Combine(data, "sentinel");
            await File.WriteAllTextAsync(sentinel, "made with the first password");

            Assert.Equal(data, await PostgresServer.InitializeAsync(folder, "first-password", _ => { }, CancellationToken.None));
            Assert.True(File.Exists(sentinel)); // kept between runs

            Directory.Delete(folder, recursive: true); // what --clean does to the state folder
            Assert.Equal(data, await PostgresServer.InitializeAsync(folder, "second-password", _ => { }, CancellationToken.None));
            Assert.False(File.Exists(sentinel));
            Assert.True(File.Exists(Path.Combine(data, "PG_VERSION")));
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
            if (data is not null && Path.GetDirectoryName(data) is { } root && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true); // the folder kept for it outside the state folder
            }
        }
    }
}
