using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell;

namespace ScoutAudit;

/// <summary>
/// An audit event as the cmdlets emit it: the line's fields under PowerShell-style names (the
/// original names are alias properties from the module's type data), extra fields as note
/// properties on the emitted object.
/// </summary>
/// <remarks>
/// Every text the line gives (Event, SessionId, Model, Reason, the files, the names and the text
/// values of extra fields and of Config) is inert (<see cref="InertText"/>): a line is written by
/// any process, and a user's own formatting (<c>Format-Table Timestamp,Reason</c>,
/// <c>Select-Object Reason</c>, <c>Format-List *</c>) prints a property as it is, so an escape
/// sequence in it would act on the terminal. Text without a control or bidi character, nearly all,
/// is unchanged. The exact text is <see cref="Line"/>, the line as the log holds it (JSON, every
/// such character escaped); piping the event to Write-ScoutAuditEvent copies the line itself.
/// </remarks>
public sealed partial class AuditEvent
{
    private readonly LogEvent _event;
    private object? _config; // made on first use: most events are never asked for it
    private FileList? _files;

    internal AuditEvent(LogEvent auditEvent, string path)
    {
        _event = auditEvent;
        Path = path;
    }

    /// <summary>
    /// When the event happened, as a local <see cref="DateTime"/> (Kind Local). PowerShell compares
    /// DateTimes by their clock reading and cannot convert a DateTimeOffset to a DateTime at all,
    /// so a local DateTime is what compares right with <c>Get-Date</c> and <c>[datetime]::Now</c>.
    /// </summary>
    public DateTime Timestamp => _event.Timestamp.LocalDateTime;

    /// <summary>
    /// The event's place in its log (the position of its line in the log's whole history): the same
    /// in every process and before and after rotation; ids increase in log order, and
    /// Get-ScoutAuditEvent -After takes one to resume after it.
    /// </summary>
    public long? Id => _event.Id;

    public string Event => InertText.Of(_event.Event);

    public string SessionId => InertText.Of(_event.SessionId);

    public double? Cost => _event.Cost;

    public string? Model => InertText.Of(_event.Model);

    public long? InputTokens => _event.InputTokens;

    public long? OutputTokens => _event.OutputTokens;

    /// <summary>The files, as a list that prints as the line's JSON array (see <see cref="FileList"/>).</summary>
    public IReadOnlyList<string>? Files => _event.Files is { } files ? _files ??= new FileList(files.Select(InertText.Of).ToArray()!) : null;

    public string? Reason => InertText.Of(_event.Reason);

    public double? Confidence => _event.Confidence;

    public double? DurationMs => _event.DurationMs;

    /// <summary>The configuration snapshot as a PSCustomObject (as ConvertFrom-Json gives it, printing as its JSON text), or null.</summary>
    public object? Config => _event.Config is { } config ? _config ??= PSJson.ToPSValue(config) : null;

    /// <summary>The names of the event's extra fields, in line order. Hidden: ExtraFields shows them.</summary>
    [Hidden]
    public IReadOnlyList<string> ExtraFieldNames => _event.Extras.Select(pair => InertText.Of(pair.Key)).ToArray();

    /// <summary>
    /// For an event read from a line with more extra fields than an event may have (1,024): how many the
    /// line has, none of which was read (ExtraFields is empty; the line on disk is unchanged). 0 for
    /// every other event. Hidden, as it is no field of the line: Export-Csv and Select-Object * leave it out.
    /// </summary>
    [Hidden]
    public int OmittedExtraFields => _event.OmittedExtraFields;

    /// <summary>
    /// The line as the log holds it, without its newline: the event's exact text, every control and
    /// bidi character escaped as JSON escapes it (<c>$e.Line | ConvertFrom-Json</c> gives the exact
    /// values). Hidden, as it repeats every field: Export-Csv and Select-Object * leave it out.
    /// </summary>
    [Hidden]
    public string Line => System.Text.Encoding.UTF8.GetString(AuditLineFormatter.Format(_event)).TrimEnd('\n');

    /// <summary>An extra field's value (as ConvertFrom-Json would give it, its text inert), or null when the event has none of that exact name.</summary>
    public object? GetExtra(string name) => _event.GetExtra(name) is { } value ? PSJson.ToPSValue(value) : null;

    /// <summary>The log the event was read from or written to (its active file's full path).</summary>
    public string Path { get; }

    internal LogEvent Source => _event;

    /// <summary>The event's line time (UTC, as in the log) and type.</summary>
    public override string ToString() => $"{ts} {Event}";

    /// <summary>
    /// The object to write to the pipeline: extra fields become note properties. An extra field
    /// whose name PowerShell cannot tell from a standard property (it compares names ignoring case:
    /// an extra <c>Cost</c> or <c>TS</c>), or that has no name at all, stays reachable through <see cref="GetExtra"/>.
    /// </summary>
    internal PSObject ToPSObject()
    {
        var wrapped = PSObject.AsPSObject(this);
        if (_event.Extras.Count == 0) return wrapped;
        // Names are checked in sets, not by asking the object (a member lookup per field): linear in the fields.
        var taken = new HashSet<string>(ClassProperties, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in _event.Extras)
        {
            // A property needs a name: an extra field named "" (valid JSON) is reachable through GetExtra only.
            // A name with a control character is shown inert, as Format-List * prints names too.
            var shown = InertText.Of(name);
            if (shown.Length == 0 || !taken.Add(shown)) continue;
            try
            {
                wrapped.Properties.Add(new PSNoteProperty(shown, PSJson.ToPSValue(value)));
            }
            catch (ExtendedTypeSystemException)
            {
                // A member the session's own type data gives every event: the field stays in ExtraFields.
            }
        }
        return wrapped;
    }

    /// <summary>The names of this class's properties, which an extra field's note property cannot take (PowerShell ignores case).</summary>
    private static readonly string[] ClassProperties =
        typeof(AuditEvent).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => p.Name).ToArray();
}
