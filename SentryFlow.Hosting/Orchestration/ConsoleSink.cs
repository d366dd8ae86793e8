namespace SentryFlow.Hosting.Orchestration;

/// <summary>Writes every resource's console output to ours, each line prefixed with the resource's name.</summary>
public sealed class ConsoleSink
{
    private static readonly ConsoleColor[] Palette =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Magenta, ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkGreen, ConsoleColor.DarkYellow];

    private readonly object _lock = new();
    private readonly Dictionary<string, ConsoleColor> _colors = [];
    private readonly bool _useColor = !Console.IsOutputRedirected;

    public int PrefixWidth { get; set; } = 10;

    /// <summary>When false, resource output is kept (for failure reports) but not printed: the test harness is quiet.</summary>
    public bool EchoResourceOutput { get; init; } = true;

    public void ResourceLine(string resource, string line)
    {
        if (EchoResourceOutput)
        {
            Write(resource, line, null);
        }
    }

    /// <summary>A line of the AppHost's own, about a resource.</summary>
    public void Info(string resource, string message) => Write(resource, message, null);

    /// <summary>Something a person must see: a resource failed, exited or turned unhealthy.</summary>
    public void Alert(string resource, string message) => Write(resource, message, ConsoleColor.Red);

    public void Plain(string text)
    {
        lock (_lock)
        {
            Console.Out.WriteLine(text);
            Console.Out.Flush();
        }
    }

    private void Write(string resource, string text, ConsoleColor? textColor)
    {
        lock (_lock)
        {
            if (!_colors.TryGetValue(resource, out var color))
            {
                color = Palette[_colors.Count % Palette.Length];
                _colors[resource] = color;
            }

            var prefix = resource.PadRight(PrefixWidth) + " | ";
            if (!_useColor)
            {
                Console.Out.WriteLine(prefix + text);
                return;
            }

            Console.ForegroundColor = color;
            Console.Out.Write(prefix);
            if (textColor is { } c)
            {
                Console.ForegroundColor = c;
            }
            else
            {
                Console.ResetColor();
            }

            Console.Out.WriteLine(text);
            Console.ResetColor();
        }
    }
}
