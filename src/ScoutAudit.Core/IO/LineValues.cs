namespace ScoutAudit.Core;

/// <summary>Turns a line into <typeparamref name="T"/>, or says what is wrong with it.</summary>
internal delegate bool LineParser<T>(ReadOnlySpan<byte> line, StringPool pool, out T value, out string? problem);

/// <summary>
/// What a read makes of each line of a file (<see cref="SegmentReader"/>): how it parses one,
/// whether a value passes the filter, which odd values it reports, whether large files are parsed
/// on every core, and how a value learns its id.
/// </summary>
internal sealed record LineValues<T>(
    LineParser<T> Parse,
    Func<EventFilter, T, bool> Matches,
    Action<T, string, long, IAuditDiagnostics> ReportOddValues,
    bool Parallel,
    Action<T, long>? Place);

/// <summary>The kinds of value a read makes: events, and what aggregates need of them.</summary>
internal static class LineValues
{
    /// <summary>
    /// Events, each given its id (its line's position in the log's history). Large files are parsed
    /// on every core.
    /// </summary>
    public static readonly LineValues<LogEvent> Events = new(
        ParseEvent, static (filter, e) => filter.Matches(e), OddValues.OfEvent, Parallel: true, Place: static (e, position) => e.Id = position);

    /// <summary>
    /// What counts need of each event, read on one thread: summaries are cheap, and aggregates
    /// promise a small memory footprint more than speed.
    /// </summary>
    public static readonly LineValues<EventSummary> Summaries = new(
        AuditLineParser.TrySummarize, static (filter, e) => filter.Matches(e), OddValues.OfSummary, Parallel: false, Place: null);

    /// <summary>What spend needs of each event: <see cref="Summaries"/>, with negative costs reported.</summary>
    public static readonly LineValues<EventSummary> CostSummaries = Summaries with { ReportOddValues = OddValues.OfSummedSummary };

    private static bool ParseEvent(ReadOnlySpan<byte> line, StringPool pool, out LogEvent value, out string? problem)
    {
        var parsed = AuditLineParser.TryParse(line, pool, out var e, out problem);
        value = e!;
        return parsed;
    }
}
