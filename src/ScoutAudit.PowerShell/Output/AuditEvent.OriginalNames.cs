using System.Management.Automation;
using ScoutAudit.Core;

namespace ScoutAudit;

// The original Scout field names, so that scripts written against raw lines keep working
// ($e.session_id, Where-Object input_t -gt 1000). They are C# properties rather than alias
// properties in the type data because only a property can be [Hidden]: hidden, they stay out of
// Export-Csv, Select-Object * and Format-List *, which would otherwise repeat every column under
// its second name. ts is the exception, and visible on purpose: it is the time as the line holds
// it, to the millisecond and in UTC, the one form of the time Export-Csv can carry exactly
// (it writes Timestamp, a [datetime], in the culture's form and to the second).
#pragma warning disable IDE1006 // the names are the log's own field names
public sealed partial class AuditEvent
{
    /// <summary>The time as the line holds it: UTC to the millisecond, <c>2026-02-13T14:30:22.123Z</c>.</summary>
    public string ts => UtcTimestamp.Format(_event.Timestamp);

    [Hidden]
    public string session_id => SessionId;

    [Hidden]
    public long? input_t => InputTokens;

    [Hidden]
    public long? output_t => OutputTokens;

    [Hidden]
    public double? duration_ms => DurationMs;
}
