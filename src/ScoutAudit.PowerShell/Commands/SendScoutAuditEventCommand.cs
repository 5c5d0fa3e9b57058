using System.Collections;
using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Completion;
using ScoutAudit.PowerShell.Session;
using CoreEvent = ScoutAudit.Core.AuditEvent;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Forwards a log's events to an OpenTelemetry collector over OTLP/HTTP, at least once: from the
/// event after the checkpoint (the last one the collector acknowledged), in batches, each sent until
/// acknowledged before the checkpoint moves; with -Follow, then each new event as it is written.
/// Several logs are sent one after the other, each from its own checkpoint (per log and endpoint).
/// </summary>
[Cmdlet(VerbsCommunications.Send, "ScoutAuditEvent")]
[OutputType(typeof(ForwardingResult))]
public sealed class SendScoutAuditEventCommand : AuditCommandBase
{
    /// <summary>The collector's OTLP/HTTP endpoint; by default $env:OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, else $env:OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    /// <summary>Request headers, such as @{ Authorization = 'Bearer ...' }; by default those of $env:OTEL_EXPORTER_OTLP_HEADERS.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Header { get; set; }

    [Parameter]
    [ValidateRange(1, 10_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// The encoding: http/protobuf or http/json; by default $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, else
    /// $env:OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf, as the OpenTelemetry specification says. grpc is refused.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(OtlpProtocolCompleter))]
    [ValidateNotBlank]
    public string? Protocol { get; set; }

    /// <summary>Gzip or None; by default $env:OTEL_EXPORTER_OTLP_LOGS_COMPRESSION, else $env:OTEL_EXPORTER_OTLP_COMPRESSION, else None.</summary>
    [Parameter]
    public OtlpCompression? Compression { get; set; }

    /// <summary>After the events there are, goes on with each new one as it is written, until stopped.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    [Parameter]
    [ValidateNotBlank]
    public string ServiceName { get; set; } = "scout-audit";

    /// <summary>More resource attributes, such as @{ 'deployment.environment' = 'prod' }.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? ResourceAttribute { get; set; }

    /// <summary>How long one batch is retried before the command fails; by default until it is delivered or the command is stopped.</summary>
    [Parameter]
    public TimeSpan? GiveUpAfter { get; set; }

    /// <summary>
    /// The file that keeps the checkpoint; by default beside the log, one per endpoint, or in your
    /// cache ($XDG_CACHE_HOME/scoutaudit, else ~/.cache/scoutaudit) when the log's directory is another user's.
    /// </summary>
    [Parameter]
    [ValidateNotBlank]
    public string? CheckpointPath { get; set; }

    /// <summary>
    /// The logs to forward, one after the other, each from its own checkpoint; by default the default log.
    /// -Follow and -CheckpointPath take one log.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        if (Path is { Length: > 1 } several)
        {
            // A follower never ends, so the logs after the first would never be sent; a checkpoint file belongs to one log.
            if (Follow)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Follow follows one log; got {several.Length} paths. Run one Send-ScoutAuditEvent -Follow for each log."),
                    ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, several));
            if (CheckpointPath is not null)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-CheckpointPath keeps the checkpoint of one log; got {several.Length} paths. Leave it out to keep each log's checkpoint beside it, or send each log with a -CheckpointPath of its own."),
                    ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, several));
        }
        var options = Options();
        foreach (var given in GivenPaths(Path)) Send(given, ResolveLogPath(given), options);
    }

    /// <summary>One log's events after its checkpoint, in batches; with -Follow, then each new one until stopped.</summary>
    private void Send(string? given, string path, OtlpForwarderOptions options)
    {
        var diagnostics = new QueryDiagnostics();
        var log = OpenForReading(path, diagnostics, new QueryProgress(path));
        WarnWhenNoLog(log, given, waiting: Follow);
        OtlpForwarder forwarder;
        try
        {
            // Deliver runs on this, the pipeline thread, and tells of retries and rejections as they happen.
            forwarder = new OtlpForwarder(path, options with { Notify = WriteNotice });
        }
        catch (AuditLogException error)
        {
            ThrowTerminatingError(Failure(error, ErrorIds.ForwardingCheckpointUnreadable, ErrorCategory.ReadError, error.Path));
            return;
        }
        catch (ArgumentException error)
        {
            // A header the forwarder cannot send as given (Content-Type, which it sets itself).
            ThrowTerminatingError(new ErrorRecord(error, ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, options.Endpoint));
            return;
        }
        TellWhereCheckpointIs(forwarder.Checkpoint.Location);
        using (forwarder)
        using (var follower = new LogFollower(log, new EventFilter { After = forwarder.Checkpoint.LastId }))
        {
            long sent = 0, rejected = 0;
            var batches = 0;
            var batch = new List<CoreEvent>(BatchSize);
            void Deliver()
            {
                var delivered = Delivered(() => forwarder.Deliver(batch, PipelineStopping), forwarder);
                (sent, rejected, batches) = (sent + delivered.Sent, rejected + delivered.Rejected, batches + delivered.Batches);
                WriteVerbose($"Delivered events {batch[0].Id}..{batch[^1].Id} ({batch.Count}) to '{forwarder.Endpoint}'; the checkpoint is {delivered.LastId}.");
                WriteProgress(new ProgressRecord(ProgressActivityId, $"Sending the events of {path}", $"{sent} events delivered to {forwarder.Endpoint}"));
                batch.Clear();
            }
            while (true)
            {
                using (var events = follower.ReadNew(null, PipelineStopping).GetEnumerator())
                {
                    // Streamed: a first run over a long history holds one batch, not the history.
                    while (Reading(diagnostics, events, static read => read.MoveNext()))
                    {
                        batch.Add(events.Current);
                        if (batch.Count == BatchSize) Deliver();
                    }
                }
                if (batch.Count > 0) Deliver();
                if (forwarder.Checkpoint.LastId is { } acknowledged && acknowledged >= follower.End) CheckpointAhead(forwarder, follower.End);
                WriteQueryDiagnostics(diagnostics, skippedLinesAsWarnings: Follow);
                if (!Follow) break;
                Reading(diagnostics, (Follower: follower, Token: PipelineStopping), static wait =>
                {
                    wait.Follower.WaitForChange(wait.Token);
                    return true;
                });
            }
            WriteProgress(new ProgressRecord(ProgressActivityId, $"Sending the events of {path}", "Done") { RecordType = ProgressRecordType.Completed });
            WriteSkippedLinesSummary(diagnostics, path);
            WriteObject(new ForwardingResult(path, forwarder.Endpoint, sent, rejected, batches, forwarder.Checkpoint.LastId, forwarder.Checkpoint.Path));
        }
    }

    private const int ProgressActivityId = 0x5C0F;

    /// <summary>A delivery: stopped quietly by Ctrl+C, a refusal or an unwritable checkpoint a terminating error.</summary>
    private ForwardingSummary Delivered(Func<ForwardingSummary> deliver, OtlpForwarder forwarder)
    {
        try
        {
            return deliver();
        }
        catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (ForwardingException error)
        {
            ThrowTerminatingError(Failure(error, ErrorIds.ForwardingFailed, error.StatusCode is null ? ErrorCategory.ConnectionError : ErrorCategory.InvalidResult, forwarder.Endpoint));
            throw; // not reached
        }
        catch (AuditLogException error)
        {
            ThrowTerminatingError(Failure(error, ErrorIds.ForwardingCheckpointUnwritable, ErrorCategory.WriteError, error.Path));
            throw; // not reached
        }
    }

    /// <summary>
    /// A checkpoint past the end of the log: the log was deleted and begun again (or cut back by
    /// hand), so its events reuse ids the collector has already acknowledged. Sending from the
    /// checkpoint would skip them without a word, and sending from the start would make a receiver
    /// that deduplicates drop them: the user decides.
    /// </summary>
    private void CheckpointAhead(OtlpForwarder forwarder, long end)
    {
        var error = new InvalidOperationException(
            $"The checkpoint '{forwarder.Checkpoint.Path}' says the collector acknowledged the events up to id {forwarder.Checkpoint.LastId}, but the log '{forwarder.LogPath}' ends at id {end}: " +
            "it was deleted and begun again, or cut back, since. Its events reuse ids the collector has seen, which a receiver that deduplicates by scout.id would drop. " +
            "Delete the checkpoint to send this log from its start, or give -CheckpointPath (and a new -ResourceAttribute to tell the logs apart) for a new one.");
        ThrowTerminatingError(new ErrorRecord(error, ErrorIds.ForwardingCheckpointAhead, ErrorCategory.InvalidData, forwarder.Checkpoint.Path));
    }

    /// <summary>
    /// Says where a checkpoint that is not beside the log is kept: as a verbose message when it is in
    /// the caller's cache, as a warning when it is kept in memory only (a later run sends the log again).
    /// </summary>
    private void TellWhereCheckpointIs(StateLocation location)
    {
        if (location.Note is not { } note) return;
        if (location.Place == StatePlace.CallersCache) WriteVerbose(Inert(note));
        else WriteWarning(Inert(note + " A later run sends the whole log again; give -CheckpointPath to keep it in a folder of your own."));
    }

    /// <summary>A retry as a warning; records the collector rejected as an error (they are not sent again).</summary>
    private void WriteNotice(ForwardingNotice notice)
    {
        if (notice.Kind == ForwardingNoticeKind.PartialSuccess)
            WriteError(Failure(new InvalidOperationException(notice.Message), ErrorIds.RecordsRejected, ErrorCategory.InvalidData, notice.RejectedRecords)); // the collector's words, shown inert
        else
            WriteWarning(Inert(notice.Message));
    }

    /// <summary>The forwarder's options from the parameters and, where they are not given, OpenTelemetry's standard environment variables.</summary>
    private OtlpForwarderOptions Options()
    {
        var endpoint = Endpoint ?? EndpointFromEnvironment();
        try
        {
            var options = new OtlpForwarderOptions
            {
                Endpoint = endpoint,
                Headers = Header is null ? HeadersFromEnvironment() : Strings(Header, nameof(Header)),
                ServiceName = ServiceName,
                Protocol = Protocol is null ? ProtocolFromEnvironment() : OtlpProtocols.Parse(Protocol, "-Protocol"),
                Compression = Compression ?? CompressionFromEnvironment(),
                ResourceAttributes = ResourceAttribute is null ? new Dictionary<string, string>() : Strings(ResourceAttribute, nameof(ResourceAttribute)),
                GiveUpAfter = GiveUpAfter,
                CheckpointPath = CheckpointPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CheckpointPath),
            };
            options.ResolveEndpoint();
            return options;
        }
        catch (ArgumentException error)
        {
            ThrowTerminatingError(new ErrorRecord(error, ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, endpoint));
            throw; // not reached
        }
    }

    /// <summary>
    /// One of OpenTelemetry's exporter settings, as its exporters read them: the logs signal's own
    /// variable (<c>OTEL_EXPORTER_OTLP_LOGS_&lt;setting&gt;</c>), else the general one; null when neither is set.
    /// </summary>
    private static (string Name, string Value)? OtelSetting(string setting)
    {
        foreach (var name in new[] { $"OTEL_EXPORTER_OTLP_LOGS_{setting}", $"OTEL_EXPORTER_OTLP_{setting}" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) return (name, value);
        }
        return null;
    }

    /// <summary>The endpoint of the environment; a URL without a path gets /v1/logs from <see cref="OtlpForwarderOptions.ResolveEndpoint"/>.</summary>
    private Uri EndpointFromEnvironment()
    {
        var (name, value) = OtelSetting("ENDPOINT") ?? (null!, null!);
        if (value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri)) return uri;
        var problem = value is null
            ? "No endpoint: give -Endpoint (such as http://collector:4318), or set $env:OTEL_EXPORTER_OTLP_ENDPOINT or $env:OTEL_EXPORTER_OTLP_LOGS_ENDPOINT."
            : $"${name} is '{value}', which is not an absolute URL.";
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, value));
        throw new InvalidOperationException(); // not reached
    }

    /// <summary>The protocol of the environment; http/protobuf, the specification's default, when none is set.</summary>
    private static OtlpProtocol ProtocolFromEnvironment() =>
        OtelSetting("PROTOCOL") is { } setting ? OtlpProtocols.Parse(setting.Value, "$" + setting.Name) : OtlpProtocol.HttpProtobuf;

    /// <summary>The compression of the environment: gzip or none.</summary>
    private static OtlpCompression CompressionFromEnvironment() => OtelSetting("COMPRESSION") switch
    {
        null => OtlpCompression.None,
        { Value: var value } when value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) => OtlpCompression.None,
        { Value: var value } when value.Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase) => OtlpCompression.Gzip,
        { } other => throw new ArgumentException($"${other.Name} is '{other.Value}'; OTLP allows gzip or none."),
    };

    /// <summary>The headers of the environment: <c>name=value,name2=value2</c>, values URL-encoded.</summary>
    private static Dictionary<string, string> HeadersFromEnvironment()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (OtelSetting("HEADERS") is not { } setting) return headers;
        foreach (var pair in setting.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"${setting.Name} holds '{pair}', which is not name=value.");
            headers[Uri.UnescapeDataString(pair[..equals].Trim())] = Uri.UnescapeDataString(pair[(equals + 1)..].Trim());
        }
        return headers;
    }

    /// <summary>A hashtable's entries as text; a value that is not a plain value is refused (a header is text).</summary>
    private static Dictionary<string, string> Strings(IDictionary table, string parameter)
    {
        var strings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in table)
        {
            var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            if (value is null or IDictionary or (IEnumerable and not string))
                throw new ArgumentException($"-{parameter} '{entry.Key}' must be text; got {(value is null ? "null" : value.GetType().Name)}.", parameter);
            strings[Convert.ToString(entry.Key is PSObject key ? key.BaseObject : entry.Key, System.Globalization.CultureInfo.InvariantCulture)!] =
                Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
        }
        return strings;
    }
}
