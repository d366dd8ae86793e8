using System.Runtime.Versioning;
using SentryFlow.Hosting.LocalServers;

namespace SentryFlow.AppHost.Tests.LocalServers;

/// <summary>The state folder holds passwords, data and logs: only its owner may read it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class StateDirectoryTests
{
    private const UnixFileMode OthersMayRead = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    [Fact]
    public void The_state_folder_its_resource_folders_and_its_secrets_are_readable_by_the_owner_only_even_when_made_open_before()
    {
        var parent = Directory.CreateTempSubdirectory("sentryflow-state-").FullName;
        var root = Path.Combine(parent, "state");
        try
        {
            // An older run left them open to everyone.
            Directory.CreateDirectory(Path.Combine(root, "redis"), (UnixFileMode)0b111_111_111);
            File.SetUnixFileMode(root, (UnixFileMode)0b111_111_111);
            File.SetUnixFileMode(Path.Combine(root, "redis"), (UnixFileMode)0b111_111_111);

            var state = new StateDirectory(root);
            var redis = state.For("redis");
            var messaging = state.For("messaging");
            state.GetOrCreateSecret("password", 22);

            // Root runs PostgreSQL as the postgres user, which must pass through (not list) the folder to its own.
            Assert.Equal(ProcessSignals.IsRoot ? StateDirectory.PassableFolderMode : StateDirectory.FolderMode, File.GetUnixFileMode(root));
            Assert.Equal(StateDirectory.FolderMode, File.GetUnixFileMode(redis));
            Assert.Equal(StateDirectory.FolderMode, File.GetUnixFileMode(messaging));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(root, "secrets.json")));
            Assert.All(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root),
                entry => Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(entry) & OthersMayRead));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
