using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

public abstract partial class AuditCommandBase
{
    /// <summary>
    /// One warning for all the events a query read with fields of the wrong type, and one for the
    /// negative costs an aggregate summed, not one per line (-Verbose shows each).
    /// </summary>
    private protected void WriteOddValuesSummary(QueryDiagnostics diagnostics, string path)
    {
        var invalid = diagnostics.EventsWithInvalidFields;
        if (invalid > 0)
        {
            var fields = string.Join(", ", diagnostics.InvalidFieldCounts.Select(pair => $"{pair.Key}: {pair.Value}"));
            WriteWarning(Inert(
                $"{invalid} event{(invalid == 1 ? "" : "s")} of '{path}' {(invalid == 1 ? "has" : "have")} fields of the wrong type ({fields}), " +
                "kept as raw values in InvalidFields and left out of sums; run the command with -Verbose to see each one."));
        }
        var omitted = diagnostics.EventsWithOmittedFields;
        if (omitted > 0)
        {
            WriteWarning(Inert(
                $"{omitted} event{(omitted == 1 ? "" : "s")} of '{path}' {(omitted == 1 ? "has" : "have")} more than {EventFieldRules.MaxExtraFields} extra fields, " +
                "the most an event may have: read with the standard fields only, the extra fields left unread in the line; run the command with -Verbose to see each one."));
        }
        var negative = diagnostics.NegativeCosts;
        if (negative > 0)
        {
            WriteWarning(Inert(
                $"{negative} event{(negative == 1 ? "" : "s")} of '{path}' {(negative == 1 ? "has a negative cost" : "have negative costs")}, " +
                "summed as the original sums them; run the command with -Verbose to see each one."));
        }
    }
}
