namespace ScoutAudit.Core;

/// <summary>
/// The standard fields of a Scout audit line, in the order the original writes them: the one table
/// that the parser, the formatter, the OTLP mapping and the cmdlets read (<see cref="All"/>).
/// Extra fields follow these; an extra field may not reuse one of these names.
/// </summary>
/// <remarks>
/// To add a standard field: its name here, its row in <see cref="All"/> and its <see cref="FieldId"/> at its place on
/// the line, and its strongly typed property where one exists (<see cref="LogEvent"/>
/// and <see cref="FieldValues"/>, the emitted event, Write-ScoutAuditEvent's parameter); then the docs and tests.
/// </remarks>
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

    /// <summary>Every standard field, in line order (a row's index is its <see cref="FieldId"/>).</summary>
    public static IReadOnlyList<StandardField> All => Rows;

    internal static readonly StandardField[] Rows =
    [
        new(FieldId.Timestamp, Timestamp, "Timestamp", FieldKind.Time, hasRule: true, otlpAttribute: null),
        new(FieldId.Event, Event, "Event", FieldKind.Name, hasRule: true, "event.name"),
        new(FieldId.SessionId, SessionId, "SessionId", FieldKind.Name, hasRule: true, "session.id"),
        new(FieldId.Cost, Cost, "Cost", FieldKind.Money, hasRule: true, "scout.cost"),
        new(FieldId.Model, Model, "Model", FieldKind.Label, hasRule: false, "gen_ai.request.model"),
        new(FieldId.InputTokens, InputTokens, "InputTokens", FieldKind.Count, hasRule: true, "gen_ai.usage.input_tokens"),
        new(FieldId.OutputTokens, OutputTokens, "OutputTokens", FieldKind.Count, hasRule: true, "gen_ai.usage.output_tokens"),
        new(FieldId.Files, Files, "Files", FieldKind.FileList, hasRule: true, "scout.files"),
        new(FieldId.Reason, Reason, "Reason", FieldKind.Text, hasRule: false, "scout.reason"),
        new(FieldId.Confidence, Confidence, "Confidence", FieldKind.Measure, hasRule: true, "scout.confidence"),
        new(FieldId.DurationMs, DurationMs, "DurationMs", FieldKind.Measure, hasRule: true, "scout.duration_ms"),
        new(FieldId.Config, Config, "Config", FieldKind.Object, hasRule: true, "scout.config"),
    ];

    /// <summary>The fields after the header (<c>ts</c>, <c>event</c>, <c>session_id</c>), which a line may leave out.</summary>
    internal static ReadOnlySpan<StandardField> Optional => Rows.AsSpan(3);

    /// <summary>All standard names, in line order.</summary>
    public static IReadOnlyList<string> InLineOrder { get; } = Array.ConvertAll(Rows, field => field.Name);

    private static readonly Dictionary<string, StandardField> ByName = Rows.ToDictionary(field => field.Name, StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> is one of the standard field names (case-sensitive, as JSON keys are).</summary>
    public static bool IsStandard(string name) => ByName.ContainsKey(name);

    /// <summary>The standard field named <paramref name="name"/> on the line (case-sensitive), or null.</summary>
    public static StandardField? Find(string? name) => name is not null && ByName.TryGetValue(name, out var field) ? field : null;

    internal static StandardField Get(FieldId id) => Rows[(int)id];
}

/// <summary>
/// A standard field's place in <see cref="StandardFields.All"/>, which is its place on the line: the
/// index of its row in the table, and the bit of its number form (<see cref="NumberForms"/>).
/// </summary>
internal enum FieldId : byte
{
    Timestamp, Event, SessionId, Cost, Model, InputTokens, OutputTokens, Files, Reason, Confidence, DurationMs, Config,
}
