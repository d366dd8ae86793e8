namespace SentryFlow.Analytics.Rollups;

/// <summary>How often closed hours and days are folded (section <c>Analytics:Rollups</c>).</summary>
public sealed class RollupFoldOptions
{
    public const string Section = "Analytics:Rollups";

    /// <summary>Between runs of <see cref="RollupFolder"/> (it also runs once at start).</summary>
    public TimeSpan FoldInterval { get; set; } = TimeSpan.FromMinutes(1);
}
