using System.Management.Automation;
using System.Text.Json;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Completion;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Appends one event to the log (the original's <c>log()</c>). Deliberately without
/// ShouldProcess: -WhatIf or $WhatIfPreference must never drop an audit record. Every failure is
/// an error that says which field or which log; no event is lost silently.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "ScoutAuditEvent")]
[Alias("Write-ScoutAudit")]
[OutputType(typeof(AuditEvent))]
public sealed class WriteScoutAuditEventCommand : AuditCommandBase
{
    private LogEntry? _entry;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EventTypeCompleter))]
    public string Event { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Number]
    public double? Cost { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? Model { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.InputTokens)]
    [WholeNumber]
    public long? InputTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.OutputTokens)]
    [WholeNumber]
    public long? OutputTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string[]? Files { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string? Reason { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Number]
    public double? Confidence { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.DurationMs)]
    [Number]
    public double? DurationMs { get; set; }

    /// <summary>A hashtable, ordered dictionary, custom object, or a string holding a JSON object.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public object? Config { get; set; }

    /// <summary>
    /// Extra fields: a hashtable, ordered dictionary, custom object, or a string holding a JSON object.
    /// Bound from a piped record's ExtraFields (the JSON text Export-Csv writes for an event's extra fields).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ExtraFields")]
    [EmptyAsNull]
    public object? Property { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(StandardFields.SessionId)]
    [EmptyAsNull]
    public string? SessionId { get; set; }

    /// <summary>
    /// When the event happened; now when not given. A piped record's ts or Timestamp is read by
    /// <see cref="EventFieldInput.PipedTimestamp"/>, not by the binder: the binder would take Timestamp first, and an
    /// exported event's Timestamp cell is in the culture's form, to the second, where its ts is exact.
    /// </summary>
    [Parameter]
    [Alias(StandardFields.Timestamp)]
    [Instant]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Not bound from the pipeline: a "Path" column of an imported CSV must not redirect the audit.</summary>
    [Parameter]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// The piped record itself, whose properties bind to the parameters of the same names: what a
    /// record's error names as its target, so that one bad record is that record's error alone.
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Writes -Config and -Property as given, without replacing secrets (passwords, api keys, tokens) by [REDACTED].</summary>
    [Parameter]
    public SwitchParameter NoRedaction { get; set; }

    /// <summary>Whether the command line itself gives a field, which then applies to every piped record.</summary>
    private bool _fieldsOnCommandLine;

    /// <summary>Whether -Verbose (or $VerbosePreference) asks to hear of each event written; decided once, not per event.</summary>
    private bool _verbose;

    protected override void BeginProcessing()
    {
        // Before the first record, BoundParameters holds what the command line gave, and only that.
        _fieldsOnCommandLine = EventFieldParameters.Names.Any(MyInvocation.BoundParameters.ContainsKey);
        _verbose = MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose)
            ? ((SwitchParameter)verbose).IsPresent
            : GetVariableValue("VerbosePreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue;
        _entry = LogRegistry.Instance.Get(ResolveLogPath(Path));
    }

    protected override void ProcessRecord()
    {
        var entry = _entry!;
        // An event of a ScoutAudit log, piped on as it is (a copy of a log): written as it was read,
        // every field, extra and number form kept, so the copy's line has the source's bytes.
        var auditEvent = InputObject?.BaseObject is AuditEvent { Source: var read } && !_fieldsOnCommandLine ? read : BuildEvent();
        if (auditEvent is null) return;
        try
        {
            auditEvent = entry.Append(auditEvent, redactSecrets: !NoRedaction);
        }
        catch (AuditLogException error)
        {
            // The log itself is unusable: no later record could be written either.
            WritePendingDiagnostics(entry);
            throw Terminate(error, ErrorIds.AuditLogWriteFailed, ErrorCategory.WriteError, entry.Path);
        }
        catch (ArgumentException error)
        {
            Refuse(error.ParamName == StandardFields.Event
                ? Failure(error, ErrorIds.EventTooLarge, ErrorCategory.LimitsExceeded, RefusedEvent(auditEvent, entry.Path))
                : InvalidField(error));
            return;
        }
        WritePendingDiagnostics(entry);
        if (_verbose) WriteVerbose(Inert($"Wrote a '{auditEvent.Event}' event of {UtcTimestamp.Format(auditEvent.Timestamp)} to '{entry.Path}'."));
        if (PassThru) WriteObject(new AuditEvent(auditEvent, entry.Path).ToPSObject());
    }

    /// <summary>
    /// Refuses this record: a piped record's error is non-terminating, so the records after it are
    /// written (-ErrorAction decides what the script does); an event given by its parameters alone
    /// is a terminating error, as an invalid argument is.
    /// </summary>
    private void Refuse(ErrorRecord error)
    {
        if (InputObject is null) ThrowTerminatingError(error);
        WriteError(error);
    }

    /// <summary>The event the parameters describe, or null when one of them is invalid (then refused).</summary>
    private LogEvent? BuildEvent()
    {
        // Config and extra fields are converted first, on their own, so that a failure there is
        // told apart from a failure of a standard field: an extra field may be named like one.
        JsonElement? config = null;
        List<KeyValuePair<string, JsonElement>> extras = [];
        try
        {
            if (Config is not null) config = EventFieldInput.ConfigFrom(Config);
        }
        catch (ArgumentException error)
        {
            Refuse(Failure(RedactedError.Of(error), ErrorIds.InvalidConfig, ErrorCategory.InvalidArgument, StandardFields.Config));
            return null;
        }
        try
        {
            // A piped ScoutAudit event keeps its extra fields, a custom object the properties no parameter
            // takes (RecordExtras); -Property adds to them or replaces them by name.
            if (InputObject?.BaseObject is AuditEvent { Source: var read }) extras.AddRange(EventFieldRules.ExtraFieldsRead(read).Extras);
            else if (RecordExtras.Of(InputObject) is { } unnamed) extras = EventFieldInput.ExtraFields(unnamed);
            if (Property is not null) extras = EventFieldInput.Merge(extras, EventFieldInput.ExtraFields(Property));
        }
        catch (ArgumentException error)
        {
            Refuse(error is TooManyExtraFieldsException
                ? InvalidField(error)
                : Failure(RedactedError.Of(error), ErrorIds.InvalidExtraField, ErrorCategory.InvalidArgument, RecordShown ?? ExtraValueShown(error.ParamName)));
            return null;
        }
        DateTimeOffset? givenTime;
        try
        {
            givenTime = Timestamp ?? EventFieldInput.PipedTimestamp(InputObject);
        }
        catch (ArgumentTransformationMetadataException error)
        {
            Refuse(Failure(error, ErrorIds.InvalidEventField, ErrorCategory.InvalidArgument, RecordShown, InvalidArgument(nameof(Timestamp), error)));
            return null;
        }
        WarnOfCredential(nameof(Reason), Reason);
        WarnOfCredential(nameof(Model), Model);
        try
        {
            var now = DateTimeOffset.UtcNow;
            var timestamp = givenTime is { } given ? EventFieldRules.Timestamp(given, now) : now;
            return new LogEvent(Event, timestamp, SessionId ?? ProcessSession.Id)
            {
                Cost = Cost,
                Model = Model,
                InputTokens = InputTokens,
                OutputTokens = OutputTokens,
                Files = FileList.ReadBack(Files),
                Reason = Reason,
                Confidence = Confidence,
                DurationMs = DurationMs,
                Config = config,
                Extras = extras,
            };
        }
        catch (ArgumentException error)
        {
            Refuse(InvalidField(error));
            return null;
        }
    }

    /// <summary>
    /// Warns when a standard text field holds what redaction would take out of -Config (a key of a known
    /// shape, <c>password=...</c>, a bearer token): Reason and Model are the record itself and are
    /// written as given, so the user hears of it while the credential can still be rotated. The
    /// warning names the field, never the text.
    /// </summary>
    private void WarnOfCredential(string parameter, string? text)
    {
        if (text is null || NoRedaction || ReferenceEquals(SecretRedactor.RedactText(text), text)) return;
        WriteWarning($"-{parameter} looks like it holds a credential (text that -Config and -Property would have written as [REDACTED]); {parameter} is the audit record and is written as given. Keep credentials out of it, and rotate this one if it is real.");
    }

    /// <summary>An invalid field: Core names it in ParamName (<c>cost</c>, <c>input_t</c>, <c>config</c>, or an extra field's name).</summary>
    private ErrorRecord InvalidField(ArgumentException error)
    {
        if (error is TooManyExtraFieldsException)
            return Failure(error, ErrorIds.TooManyExtraFields, ErrorCategory.LimitsExceeded, RecordShown ?? RefusedRecord.Value(nameof(Property), Property));
        // A standard field that a rule refused is its parameter's error; config's message is redacted, as it may quote a key.
        return StandardFields.Find(error.ParamName) switch
        {
            { HasRule: true, Kind: FieldKind.Object } field => Failure(RedactedError.Of(error), ErrorIds.InvalidConfig, ErrorCategory.InvalidArgument, field.Name, InvalidArgument(field.Property, RedactedError.Of(error))),
            { HasRule: true } field => Failure(error, ErrorIds.InvalidEventField, ErrorCategory.InvalidArgument, RecordShown ?? EventFieldParameters.ValueOf(this, field), InvalidArgument(field.Property, error)),
            _ => Failure(RedactedError.Of(error), ErrorIds.InvalidExtraField, ErrorCategory.InvalidArgument, RecordShown ?? ExtraValueShown(error.ParamName)),
        };
    }

    /// <summary>
    /// What an event refused for its size names as its target: the event with its secrets redacted (as
    /// it would have been written), never the record as given, which Get-Error prints and
    /// Export-Clixml saves. A refused config names only its field (<c>config</c>): it has no JSON form
    /// to redact.
    /// </summary>
    private AuditEvent RefusedEvent(LogEvent refused, string path) =>
        new(NoRedaction ? refused : SecretRedactor.Redact(refused), path);

    /// <summary>
    /// The piped record a refused record's error names as its target, with its secrets redacted
    /// (<see cref="RefusedRecord"/>); null for an event given by parameters alone.
    /// </summary>
    private PSObject? RecordShown => InputObject is null ? null : RefusedRecord.Of(InputObject);

    /// <summary>The value of the extra field a refusal names, redacted, or failing that the whole -Property redacted.</summary>
    private object? ExtraValueShown(string? name) =>
        name is not null && ExtraValue(name) is { } value ? RefusedRecord.Value(name, value) : RefusedRecord.Value(nameof(Property), Property);

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
