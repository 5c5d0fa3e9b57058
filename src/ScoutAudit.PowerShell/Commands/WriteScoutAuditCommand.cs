using System.Management.Automation;
using System.Text.Json;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Completion;
using ScoutAudit.PowerShell.Session;
using CoreEvent = ScoutAudit.Core.AuditEvent;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Appends one event to the log (the original's <c>log()</c>). Deliberately without
/// ShouldProcess: -WhatIf or $WhatIfPreference must never drop an audit record. Every failure is
/// an error that says which field or which log; no event is lost silently.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "ScoutAudit")]
[OutputType(typeof(AuditEvent))]
public sealed class WriteScoutAuditCommand : AuditCommandBase
{
    private LogEntry? _entry;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EventTypeCompleter))]
    public string Event { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public double? Cost { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string? Model { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.InputTokens)]
    [EmptyAsNull]
    public long? InputTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.OutputTokens)]
    [EmptyAsNull]
    public long? OutputTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string[]? Files { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string? Reason { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public double? Confidence { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.DurationMs)]
    [EmptyAsNull]
    public double? DurationMs { get; set; }

    /// <summary>A hashtable, ordered dictionary, custom object, or a string holding a JSON object.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public object? Config { get; set; }

    /// <summary>Extra fields: a hashtable, ordered dictionary or custom object.</summary>
    [Parameter]
    public object? Property { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.SessionId)]
    [EmptyAsNull]
    public string? SessionId { get; set; }

    /// <summary>Not bound from the pipeline: a "Path" column of an imported CSV must not redirect the audit.</summary>
    [Parameter]
    [Alias("PSPath", "LiteralPath")]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Writes -Config and -Property as given, without replacing secrets (passwords, api keys, tokens) by [REDACTED].</summary>
    [Parameter]
    public SwitchParameter NoRedaction { get; set; }

    protected override void BeginProcessing() => _entry = LogRegistry.Instance.Get(ResolveLogPath(Path));

    protected override void ProcessRecord()
    {
        var entry = _entry!;
        var auditEvent = BuildEvent();
        try
        {
            auditEvent = entry.Append(auditEvent, redactSecrets: !NoRedaction);
        }
        catch (AuditLogException error)
        {
            WritePendingDiagnostics(entry);
            ThrowTerminatingError(new ErrorRecord(error, ErrorIds.AuditLogWriteFailed, ErrorCategory.WriteError, entry.Path));
        }
        catch (ArgumentException error)
        {
            ThrowTerminatingError(error.ParamName == StandardFields.Event
                ? new ErrorRecord(error, ErrorIds.EventTooLarge, ErrorCategory.LimitsExceeded, new AuditEvent(auditEvent))
                : InvalidField(error));
        }
        WritePendingDiagnostics(entry);
        if (PassThru) WriteObject(new AuditEvent(auditEvent).ToPSObject());
    }

    private CoreEvent BuildEvent()
    {
        // Config and extra fields are converted first, on their own, so that a failure there is
        // told apart from a failure of a standard field: an extra field may be named like one.
        JsonElement? config = null;
        List<KeyValuePair<string, JsonElement>> extras = [];
        try
        {
            if (Config is not null) config = ConfigObject(Config);
        }
        catch (ArgumentException error)
        {
            ThrowTerminatingError(new ErrorRecord(error, ErrorIds.InvalidConfig, ErrorCategory.InvalidArgument, Config));
        }
        try
        {
            if (Property is not null) extras = ExtraFields(Property);
        }
        catch (ArgumentException error)
        {
            ThrowTerminatingError(new ErrorRecord(error, ErrorIds.InvalidExtraField, ErrorCategory.InvalidArgument, ExtraValue(error.ParamName) ?? Property));
        }
        try
        {
            return new CoreEvent(Event, DateTimeOffset.UtcNow, SessionId ?? ProcessSession.Id)
            {
                Cost = Cost,
                Model = Model,
                InputTokens = InputTokens,
                OutputTokens = OutputTokens,
                Files = Files,
                Reason = Reason,
                Confidence = Confidence,
                DurationMs = DurationMs,
                Config = config,
                Extras = extras,
            };
        }
        catch (ArgumentException error)
        {
            ThrowTerminatingError(InvalidField(error));
            throw; // not reached
        }
    }

    private static JsonElement ConfigObject(object config)
    {
        if (PSInput.Adapt(config) is not string json) return JsonValues.ObjectFrom(config, StandardFields.Config, PSInput.Adapter());
        // A JSON text, as a CSV column or a saved snapshot holds it.
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonValues.ObjectFrom(document.RootElement.Clone(), StandardFields.Config);
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"-Config is a string that is not JSON ({error.Message}); give a hashtable, a custom object or the text of a JSON object.", StandardFields.Config, error);
        }
    }

    private static List<KeyValuePair<string, JsonElement>> ExtraFields(object property)
    {
        var fields = new List<KeyValuePair<string, JsonElement>>();
        foreach (var (key, value) in PSInput.Fields(property))
        {
            var name = PSInput.Adapt(key) as string
                ?? throw new ArgumentException($"-Property has a key of type {key.GetType().FullName} ({key}); field names must be strings.", key.ToString());
            EventFieldRules.ExtraFieldName(name);
            fields.Add(new(name, JsonValues.From(value, name, PSInput.Adapter())));
        }
        return fields;
    }

    /// <summary>An invalid field: Core names it in ParamName (<c>cost</c>, <c>input_t</c>, <c>config</c>, or an extra field's name).</summary>
    private ErrorRecord InvalidField(ArgumentException error)
    {
        var field = error.ParamName;
        return field switch
        {
            StandardFields.Event => Invalid(ErrorIds.InvalidEventField, Event),
            StandardFields.SessionId => Invalid(ErrorIds.InvalidEventField, SessionId),
            StandardFields.Cost => Invalid(ErrorIds.InvalidEventField, Cost),
            StandardFields.InputTokens => Invalid(ErrorIds.InvalidEventField, InputTokens),
            StandardFields.OutputTokens => Invalid(ErrorIds.InvalidEventField, OutputTokens),
            StandardFields.Files => Invalid(ErrorIds.InvalidEventField, Files),
            StandardFields.Confidence => Invalid(ErrorIds.InvalidEventField, Confidence),
            StandardFields.DurationMs => Invalid(ErrorIds.InvalidEventField, DurationMs),
            StandardFields.Config => Invalid(ErrorIds.InvalidConfig, Config),
            _ => Invalid(ErrorIds.InvalidExtraField, ExtraValue(field) ?? Property),
        };

        ErrorRecord Invalid(string errorId, object? target) => new(error, errorId, ErrorCategory.InvalidArgument, target);
    }

    private object? ExtraValue(string? name)
    {
        if (name is null || Property is null) return null;
        try
        {
            return PSInput.Fields(Property).FirstOrDefault(pair => Equals(PSInput.Adapt(pair.Key), name)).Value;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
