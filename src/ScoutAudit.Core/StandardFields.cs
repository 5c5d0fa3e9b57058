namespace ScoutAudit.Core;

/// <summary>
/// The field names of a Scout audit line, in the order the original writes them.
/// Extra fields follow these; an extra field may not reuse one of these names.
/// </summary>
public static class StandardFields
{
    public const string Timestamp = "ts";
    public const string Event = "event";
    public const string SessionId = "session_id";
    public const string Cost = "cost";
    public const string Model = "model";
    public const string InputTokens = "input_t";
    public const string OutputTokens = "output_t";
    public const string Files = "files";
    public const string Reason = "reason";
    public const string Confidence = "confidence";
    public const string DurationMs = "duration_ms";
    public const string Config = "config";

    /// <summary>All standard names, in line order.</summary>
    public static IReadOnlyList<string> InLineOrder { get; } =
    [
        Timestamp, Event, SessionId, Cost, Model, InputTokens, OutputTokens,
        Files, Reason, Confidence, DurationMs, Config,
    ];

    private static readonly HashSet<string> Names = new(InLineOrder, StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> is one of the standard field names (case-sensitive, as JSON keys are).</summary>
    public static bool IsStandard(string name) => Names.Contains(name);
}
