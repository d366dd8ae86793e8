namespace SentryFlow.Hosting.LocalServers;

/// <summary>How to start one server process: the program, its arguments and what it adds to the environment.</summary>
public sealed record ServerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// Runs the command under a shell that turns SIGTERM into <paramref name="signal"/>. An orchestrator stops a process
    /// with SIGTERM and kills it a few seconds later; PostgreSQL reads SIGTERM as a "smart" shutdown that waits for
    /// every client, so it would be killed mid-way and run crash recovery at every next start. SIGINT is its fast
    /// shutdown. The shell waits until the server has really exited, so the orchestrator sees its true end.
    /// </summary>
    public ServerCommand StoppedBy(string signal) => new("/bin/sh",
    [
        "-c",
        $$"""
        "$@" & server=$!
        trap 'kill -s {{signal}} "$server" 2>/dev/null' TERM INT
        while :; do wait "$server"; status=$?; kill -0 "$server" 2>/dev/null || exit "$status"; done
        """,
        "sh",
        FileName,
        .. Arguments,
    ]);

    /// <summary>Runs as <paramref name="user"/> when we are root (PostgreSQL refuses to run as root), else as ourselves.</summary>
    public static ServerCommand AsUser(string user, string fileName, params string[] arguments) =>
        ProcessSignals.IsRoot
            ? new("setpriv", [$"--reuid={user}", $"--regid={user}", "--init-groups", fileName, .. arguments])
            : new(fileName, arguments);
}
