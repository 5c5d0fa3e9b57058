using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// What a command tells of a read and of a log's writer, on the pipeline thread: progress bars,
/// skipped lines and files read as verbose messages, damage as warnings, and one summary warning
/// per kind of odd line or value, every message made inert for the terminal (<see cref="InertText"/>).
/// </summary>
internal sealed class CommandDiagnostics(Cmdlet command)
{
    /// <summary>Refreshes the progress bar of a read when it is due (pipeline thread only).</summary>
    public void WriteProgressIfDue(QueryProgress progress, QueryDiagnostics diagnostics)
    {
        if (progress.Due(diagnostics.SkippedLines) is { } record) command.WriteProgress(record);
    }

    /// <summary>Removes the progress bar of a read, when one was shown.</summary>
    public void WriteProgressCompleted(QueryProgress progress, QueryDiagnostics diagnostics)
    {
        if (progress.Completed(diagnostics.SkippedLines) is { } record) command.WriteProgress(record);
    }

    /// <summary>
    /// What a query met so far: skipped lines and which files were read as verbose messages (skipped
    /// lines as warnings when <paramref name="skippedLinesAsWarnings"/>: a follower's, one by one), damage as warnings.
    /// </summary>
    public void WriteQueryDiagnostics(QueryDiagnostics diagnostics, bool skippedLinesAsWarnings = false)
    {
        while (diagnostics.TryTake(out var diagnostic))
        {
            if (skippedLinesAsWarnings && diagnostic.Kind is AuditDiagnosticKind.LineSkipped)
                command.WriteWarning(InertText.Of(diagnostic.Message));
            else if (diagnostic.Kind is AuditDiagnosticKind.LineSkipped or AuditDiagnosticKind.SegmentRead or AuditDiagnosticKind.ArchiveSkipped
                or AuditDiagnosticKind.FieldsInvalid or AuditDiagnosticKind.NegativeCost or AuditDiagnosticKind.ExtraFieldsOmitted)
                command.WriteVerbose(InertText.Of(diagnostic.Message));
            else
                command.WriteWarning(InertText.Of(diagnostic.Message));
        }
    }

    /// <summary>One warning for all the lines a query skipped, not one per line.</summary>
    public void WriteSkippedLinesSummary(QueryDiagnostics diagnostics, string path)
    {
        var skipped = diagnostics.SkippedLines;
        if (skipped > 0)
            command.WriteWarning(InertText.Of($"Skipped {skipped} line{(skipped == 1 ? "" : "s")} of '{path}' that {(skipped == 1 ? "is" : "are")} not valid events; run the command with -Verbose to see each one."));
        WriteOddValuesSummary(diagnostics, path);
    }

    /// <summary>What a log's writer reported since a command last looked (possibly from a timer thread), as warnings.</summary>
    public void WritePendingDiagnostics(LogEntry entry)
    {
        var (reports, dropped) = entry.Diagnostics.Drain();
        foreach (var report in reports) command.WriteWarning(InertText.Of(report.Message));
        if (dropped > 0) command.WriteWarning(InertText.Of($"{dropped} further problems with '{entry.Path}' were reported and not kept."));
    }
    /// <summary>
    /// One warning for all the events a query read with fields of the wrong type, and one for the
    /// negative costs an aggregate summed, not one per line (-Verbose shows each).
    /// </summary>
    public void WriteOddValuesSummary(QueryDiagnostics diagnostics, string path)
    {
        var invalid = diagnostics.EventsWithInvalidFields;
        if (invalid > 0)
        {
            var fields = string.Join(", ", diagnostics.InvalidFieldCounts.Select(pair => $"{pair.Key}: {pair.Value}"));
            command.WriteWarning(InertText.Of(
                $"{invalid} event{(invalid == 1 ? "" : "s")} of '{path}' {(invalid == 1 ? "has" : "have")} fields of the wrong type ({fields}), " +
                "kept as raw values in InvalidFields and left out of sums; run the command with -Verbose to see each one."));
        }
        var omitted = diagnostics.EventsWithOmittedFields;
        if (omitted > 0)
        {
            command.WriteWarning(InertText.Of(
                $"{omitted} event{(omitted == 1 ? "" : "s")} of '{path}' {(omitted == 1 ? "has" : "have")} more than {EventFieldRules.MaxExtraFields} extra fields, " +
                "the most an event may have: read with the standard fields only, the extra fields left unread in the line; run the command with -Verbose to see each one."));
        }
        var negative = diagnostics.NegativeCosts;
        if (negative > 0)
        {
            command.WriteWarning(InertText.Of(
                $"{negative} event{(negative == 1 ? "" : "s")} of '{path}' {(negative == 1 ? "has a negative cost" : "have negative costs")}, " +
                "summed as the original sums them; run the command with -Verbose to see each one."));
        }
    }
}
