using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// Reports, per event a query yields, what the original reads without complaint but a person should
/// know: fields kept as invalid (<see cref="AuditDiagnosticKind.FieldsInvalid"/>), extra fields over the cap
/// left unread (<see cref="AuditDiagnosticKind.ExtraFieldsOmitted"/>, for events only: aggregates read no extra field) and, for aggregates,
/// a negative cost (<see cref="AuditDiagnosticKind.NegativeCost"/>). Hosts count them into one summary.
/// </summary>
internal static class OddValues
{
    private const int QuotedLength = 60;

    public static void OfEvent(LogEvent e, string path, long lineNumber, IAuditDiagnostics diagnostics)
    {
        if (e.InvalidFields.Count > 0) ReportInvalid(e.InvalidFields, path, lineNumber, diagnostics);
        if (e.OmittedExtraFields > 0)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ExtraFieldsOmitted, path,
                $"Line {lineNumber} of '{path}' has {e.OmittedExtraFields} extra fields, more than the {EventFieldRules.MaxExtraFields} an event may have: " +
                "the event is read with its standard fields only; its extra fields stay in the line, unread.",
                lineNumber));
        }
    }

    public static void OfSummary(EventSummary e, string path, long lineNumber, IAuditDiagnostics diagnostics)
    {
        if (e.InvalidFields is { } invalid) ReportInvalid(invalid, path, lineNumber, diagnostics);
    }

    /// <summary>As <see cref="OfSummary"/>, for an aggregate that sums costs: a negative one is reported too.</summary>
    public static void OfSummedSummary(EventSummary e, string path, long lineNumber, IAuditDiagnostics diagnostics)
    {
        OfSummary(e, path, lineNumber, diagnostics);
        if (e.Cost < 0)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.NegativeCost, path,
                $"Line {lineNumber} of '{path}' has a negative cost ({e.Cost.Value.ToString("R", CultureInfo.InvariantCulture)}), summed as the original sums it.",
                lineNumber, Fields: [StandardFields.Cost]));
        }
    }

    private static void ReportInvalid(IReadOnlyList<InvalidField> invalid, string path, long lineNumber, IAuditDiagnostics diagnostics)
    {
        var described = string.Join("; ", invalid.Select(f => $"{f.Name} is {Quote(f.Json)} where {f.Expected} belongs"));
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.FieldsInvalid, path,
            $"Line {lineNumber} of '{path}': {described}; kept as raw {(invalid.Count == 1 ? "value" : "values")} in InvalidFields and left out of sums.",
            lineNumber, Fields: invalid.Select(f => f.Name).ToArray()));
    }

    private static string Quote(string json) => json.Length <= QuotedLength ? json : json[..QuotedLength] + "...";
}
