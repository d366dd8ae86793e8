namespace SentryFlow.Alerting.Evaluation;

/// <summary>A multiwindow burn-rate pair: both windows must burn the error budget at least <see cref="Factor"/> times too fast.</summary>
public sealed record BurnRateWindow(int LongSeconds, int ShortSeconds, double Factor);
