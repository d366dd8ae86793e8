namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>
/// A working day's traffic shape, compressed: a day passes in <see cref="DayLength"/> of real time, starting at
/// <see cref="StartHour"/> (mid-morning, so a first run is busy at once). The factor is 1 at the afternoon peak and
/// falls to about a tenth at night, with a dip at lunch, interpolated between hourly values.
/// </summary>
public sealed class DailyCurve(TimeSpan dayLength, double startHour = 10)
{
    // Share of the peak for each hour of the day (0 to 23).
    private static readonly double[] Hourly =
    [
        0.12, 0.08, 0.06, 0.05, 0.06, 0.10, 0.20, 0.38, 0.60, 0.78, 0.88, 0.92,
        0.75, 0.85, 0.97, 1.00, 0.93, 0.80, 0.62, 0.48, 0.38, 0.30, 0.22, 0.16,
    ];

    public TimeSpan DayLength { get; } = dayLength > TimeSpan.Zero ? dayLength : throw new ArgumentOutOfRangeException(nameof(dayLength));

    public double StartHour { get; } = startHour is >= 0 and < 24 ? startHour : throw new ArgumentOutOfRangeException(nameof(startHour));

    /// <summary>The simulated hour of the day (0 to 24) <paramref name="elapsed"/> after the start.</summary>
    public double HourAt(TimeSpan elapsed)
    {
        var hours = StartHour + 24.0 * (elapsed.Ticks % DayLength.Ticks) / DayLength.Ticks;
        return hours % 24.0;
    }

    /// <summary>The share of the peak rate <paramref name="elapsed"/> after the start (0 to 1).</summary>
    public double FactorAt(TimeSpan elapsed)
    {
        var hour = HourAt(elapsed);
        var from = (int)Math.Floor(hour) % 24;
        var to = (from + 1) % 24;
        var along = hour - Math.Floor(hour);
        return Hourly[from] + (Hourly[to] - Hourly[from]) * along;
    }
}
