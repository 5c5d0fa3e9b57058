namespace ScoutAudit;

/// <summary>Navigation accuracy in a window: the original's <c>accuracy_metrics</c>.</summary>
public sealed class AccuracyReport
{
    internal AccuracyReport(Core.AccuracyMetrics report, string path)
    {
        Path = path;
        TotalNav = report.TotalNav;
        ValidationFailCount = report.ValidationFailCount;
        AccuracyPct = report.AccuracyPct;
        Since = report.Since?.LocalDateTime;
        Until = report.Until?.LocalDateTime;
    }

    public long TotalNav { get; }

    public long ValidationFailCount { get; }

    /// <summary>100 × (nav − failures) / nav, rounded to 2 places; 100 when there is no nav event.</summary>
    public double AccuracyPct { get; }

    /// <summary>Start of the window (inclusive), local time; null when open.</summary>
    public DateTime? Since { get; }

    /// <summary>End of the window (exclusive), local time; null when open.</summary>
    public DateTime? Until { get; }

    /// <summary>The log the report counts (its active file's full path).</summary>
    public string Path { get; }

    public override string ToString() => $"{AccuracyPct}% ({TotalNav} nav, {ValidationFailCount} validation failures)";
}
