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
    /// <see cref="PipedTimestamp"/>, not by the binder: the binder would take Timestamp first, and an
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

    /// <summary>The parameters that describe an event, as opposed to where and how it is written.</summary>
    private static readonly string[] FieldParameters =
    [
        nameof(Event), nameof(Cost), nameof(Model), nameof(InputTokens), nameof(OutputTokens), nameof(Files), nameof(Reason),
        nameof(Confidence), nameof(DurationMs), nameof(Config), nameof(Property), nameof(SessionId), nameof(Timestamp),
    ];

    /// <summary>Whether the command line itself gives a field, which then applies to every piped record.</summary>
    private bool _fieldsOnCommandLine;

    /// <summary>Whether -Verbose (or $VerbosePreference) asks to hear of each event written; decided once, not per event.</summary>
    private bool _verbose;

    protected override void BeginProcessing()
    {
        // Before the first record, BoundParameters holds what the command line gave, and only that.
        _fieldsOnCommandLine = FieldParameters.Any(MyInvocation.BoundParameters.ContainsKey);
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
    private CoreEvent? BuildEvent()
    {
        // Config and extra fields are converted first, on their own, so that a failure there is
        // told apart from a failure of a standard field: an extra field may be named like one.
        JsonElement? config = null;
        List<KeyValuePair<string, JsonElement>> extras = [];
        try
        {
            if (Config is not null) config = ConfigFrom(Config);
        }
        catch (ArgumentException error)
        {
            Refuse(Failure(WithoutSecrets(error), ErrorIds.InvalidConfig, ErrorCategory.InvalidArgument, StandardFields.Config));
            return null;
        }
        try
        {
            // A piped ScoutAudit event keeps its extra fields; -Property adds to them or replaces them by name.
            if (InputObject?.BaseObject is AuditEvent { Source: var read }) extras.AddRange(EventFieldRules.ExtraFieldsRead(read).Extras);
            if (Property is not null) extras = Merge(extras, ExtraFields(Property));
        }
        catch (ArgumentException error)
        {
            Refuse(error is TooManyExtraFieldsException
                ? InvalidField(error)
                : Failure(WithoutSecrets(error), ErrorIds.InvalidExtraField, ErrorCategory.InvalidArgument, RecordShown ?? ExtraValueShown(error.ParamName)));
            return null;
        }
        DateTimeOffset? givenTime;
        try
        {
            givenTime = Timestamp ?? PipedTimestamp();
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
            return new CoreEvent(Event, timestamp, SessionId ?? ProcessSession.Id)
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

    /// <summary>
    /// The time of a piped record: its ts (the line's exact form) or else its Timestamp, as -Timestamp
    /// reads it. Null when the record has neither, or -Timestamp was given on the command line.
    /// </summary>
    private DateTimeOffset? PipedTimestamp()
    {
        if (InputObject is null || InputObject.BaseObject is System.Collections.IDictionary) return null;
        return InvariantInstant.ToDateTimeOffset(InputObject.Properties[StandardFields.Timestamp]?.Value)
            ?? InvariantInstant.ToDateTimeOffset(InputObject.Properties[nameof(Timestamp)]?.Value);
    }

    private static JsonElement ConfigFrom(object config)
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
        if (PSInput.Adapt(property) is string json) return JsonObjectFields(json);
        foreach (var (key, value) in PSInput.Fields(property))
        {
            var name = PSInput.Adapt(key) as string
                ?? throw new ArgumentException($"-Property has a key of type {key.GetType().FullName} ({key}); field names must be strings.", key.ToString());
            EventFieldRules.ExtraFieldName(name);
            fields.Add(new(name, JsonValues.From(value, name, PSInput.Adapter())));
        }
        return fields;
    }

    /// <summary>
    /// <paramref name="fields"/> then <paramref name="given"/>, a given field replacing an earlier one of
    /// its name, and going last: the name is looked up in a set, so the merge is linear in the fields.
    /// </summary>
    private static List<KeyValuePair<string, JsonElement>> Merge(List<KeyValuePair<string, JsonElement>> fields, List<KeyValuePair<string, JsonElement>> given)
    {
        if (fields.Count == 0 && given.Count == 0) return given;
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new List<KeyValuePair<string, JsonElement>>(fields.Count + given.Count);
        all.AddRange(fields);
        all.AddRange(given);
        for (var i = 0; i < all.Count; i++) last[all[i].Key] = i;
        var merged = new List<KeyValuePair<string, JsonElement>>(last.Count);
        for (var i = 0; i < all.Count; i++)
        {
            if (last[all[i].Key] == i) merged.Add(all[i]);
        }
        return merged;
    }

    /// <summary>The fields of a JSON object text, as a CSV cell of ExtraFields holds them.</summary>
    private static List<KeyValuePair<string, JsonElement>> JsonObjectFields(string json)
    {
        JsonElement fields;
        try
        {
            using var document = JsonDocument.Parse(json);
            fields = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"-Property is a string that is not JSON ({error.Message}); give a hashtable, a custom object or the text of a JSON object.", nameof(Property), error);
        }
        if (fields.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"-Property is JSON text of a {fields.ValueKind.ToString().ToLowerInvariant()}; it must be a JSON object of extra fields.", nameof(Property));
        return fields.EnumerateObject().Select(field => new KeyValuePair<string, JsonElement>(EventFieldRules.ExtraFieldName(field.Name), field.Value)).ToList();
    }

    /// <summary>An invalid field: Core names it in ParamName (<c>cost</c>, <c>input_t</c>, <c>config</c>, or an extra field's name).</summary>
    private ErrorRecord InvalidField(ArgumentException error)
    {
        if (error is TooManyExtraFieldsException)
            return Failure(error, ErrorIds.TooManyExtraFields, ErrorCategory.LimitsExceeded, RecordShown ?? RefusedRecord.Value(nameof(Property), Property));
        var field = error.ParamName;
        return field switch
        {
            StandardFields.Event => Invalid(ErrorIds.InvalidEventField, Event),
            StandardFields.SessionId => Invalid(ErrorIds.InvalidEventField, SessionId),
            StandardFields.Timestamp => Invalid(ErrorIds.InvalidEventField, Timestamp),
            StandardFields.Cost => Invalid(ErrorIds.InvalidEventField, Cost),
            StandardFields.InputTokens => Invalid(ErrorIds.InvalidEventField, InputTokens),
            StandardFields.OutputTokens => Invalid(ErrorIds.InvalidEventField, OutputTokens),
            StandardFields.Files => Invalid(ErrorIds.InvalidEventField, Files),
            StandardFields.Confidence => Invalid(ErrorIds.InvalidEventField, Confidence),
            StandardFields.DurationMs => Invalid(ErrorIds.InvalidEventField, DurationMs),
            StandardFields.Config => Failure(WithoutSecrets(error), ErrorIds.InvalidConfig, ErrorCategory.InvalidArgument, StandardFields.Config, InvalidArgument(nameof(Config), WithoutSecrets(error))),
            _ => Failure(WithoutSecrets(error), ErrorIds.InvalidExtraField, ErrorCategory.InvalidArgument, RecordShown ?? ExtraValueShown(field)),
        };

        ErrorRecord Invalid(string errorId, object? target) =>
            Failure(error, errorId, ErrorCategory.InvalidArgument, RecordShown ?? target, Parameter(field) is { } parameter ? InvalidArgument(parameter, error) : null);
    }

    /// <summary>
    /// What an event refused for its size names as its target: the event with its secrets redacted (as
    /// it would have been written), never the record as given, which Get-Error prints and
    /// Export-Clixml saves. A refused config names only its field (<c>config</c>): it has no JSON form
    /// to redact.
    /// </summary>
    private AuditEvent RefusedEvent(CoreEvent refused, string path) =>
        new(NoRedaction ? refused : SecretRedactor.Redact(refused), path);

    /// <summary>The parameter of a standard field (<c>input_t</c> is InputTokens), or null for an extra field.</summary>
    private static string? Parameter(string? field) => field switch
    {
        StandardFields.Event => nameof(Event),
        StandardFields.SessionId => nameof(SessionId),
        StandardFields.Timestamp => nameof(Timestamp),
        StandardFields.Cost => nameof(Cost),
        StandardFields.InputTokens => nameof(InputTokens),
        StandardFields.OutputTokens => nameof(OutputTokens),
        StandardFields.Files => nameof(Files),
        StandardFields.Confidence => nameof(Confidence),
        StandardFields.DurationMs => nameof(DurationMs),
        StandardFields.Config => nameof(Config),
        _ => null,
    };

    /// <summary>
    /// The piped record a refused record's error names as its target, with its secrets redacted
    /// (<see cref="RefusedRecord"/>); null for an event given by parameters alone.
    /// </summary>
    private PSObject? RecordShown => InputObject is null ? null : RefusedRecord.Of(InputObject);

    /// <summary>The value of the extra field a refusal names, redacted, or failing that the whole -Property redacted.</summary>
    private object? ExtraValueShown(string? name) =>
        name is not null && ExtraValue(name) is { } value ? RefusedRecord.Value(name, value) : RefusedRecord.Value(nameof(Property), Property);

    /// <summary>
    /// The refusal of a config or extra field with the secrets of its message redacted: the message may
    /// quote a key, and a secret used as a key (an API key as a field name) would reach Get-Error.
    /// </summary>
    private static ArgumentException WithoutSecrets(ArgumentException error)
    {
        // .NET ends the message with " (Parameter 'name')": the name is redacted on its own.
        var message = error.ParamName is { } name ? error.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : error.Message;
        var redacted = SecretRedactor.RedactText(message);
        var redactedName = error.ParamName is { } field ? SecretRedactor.RedactText(field) : null;
        return ReferenceEquals(redacted, message) && ReferenceEquals(redactedName, error.ParamName)
            ? error
            : new ArgumentException(redacted, redactedName);
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
