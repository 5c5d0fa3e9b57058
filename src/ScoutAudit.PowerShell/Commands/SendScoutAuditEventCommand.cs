using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Forwards a log's events to an OpenTelemetry collector over OTLP/HTTP, at least once: from the
/// event after the checkpoint (the last one the collector acknowledged), in batches, each sent until
/// acknowledged before the checkpoint moves; with -Wait, then each new event as it is written.
/// Several logs are sent one after the other, each from its own checkpoint (per log and endpoint).
/// Events piped from Get-ScoutAuditEvent are sent as they are, in batches, and the checkpoint is left
/// alone: they are a selection, not the log's history up to a point.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "ScoutAuditEvent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = LogSet)]
[OutputType(typeof(ForwardingResult))]
public sealed class SendScoutAuditEventCommand : OtlpCommandBase
{
    private const string LogSet = "Path";
    private const string LiteralLogSet = "LiteralPath";
    private const string EventSet = "InputObject";

    [Parameter]
    [ValidateRange(1, 10_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>After the events there are, goes on with each new one as it is written, until stopped (as Get-ScoutAuditEvent -Wait; alias Follow).</summary>
    [Parameter(ParameterSetName = LogSet)]
    [Parameter(ParameterSetName = LiteralLogSet)]
    [Alias("Follow")]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// The file that keeps the checkpoint; by default beside the log, one per endpoint, or in your
    /// cache ($XDG_CACHE_HOME/scoutaudit, else ~/.cache/scoutaudit) when the log's directory is another user's.
    /// </summary>
    [Parameter(ParameterSetName = LogSet)]
    [Parameter(ParameterSetName = LiteralLogSet)]
    [ValidateNotBlank]
    public string? CheckpointPath { get; set; }

    /// <summary>
    /// The logs to forward, one after the other, each from its own checkpoint, wildcards expanded (an
    /// archive matched stands for its log); by default the default log. -Wait and -CheckpointPath take one log.
    /// </summary>
    [Parameter(ParameterSetName = LogSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotBlank]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The logs to forward, each exactly as given (for names with [, ], * or ?); bound from a file's PSPath.</summary>
    [Parameter(ParameterSetName = LiteralLogSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotBlank]
    public string[]? LiteralPath { get; set; }

    /// <summary>Events to send as they are (from Get-ScoutAuditEvent), without the checkpoint.</summary>
    [Parameter(ParameterSetName = EventSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public AuditEvent[]? InputObject { get; set; }

    private OtlpForwarderOptions? _options;

    /// <summary>The logs this command sent already: a log named again by the pipeline is not sent again.</summary>
    private readonly HashSet<string> _sentLogs = new(StringComparer.Ordinal);

    /// <summary>The piped events' forwarders, one per log in the order the logs first came.</summary>
    private readonly Dictionary<string, ChosenEventsForwarder> _chosen = new(StringComparer.Ordinal);

    protected override void BeginProcessing()
    {
        _options = ForwarderOptions(CheckpointPath);
        WarnWhenCleartext(_options);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == EventSet)
        {
            foreach (var auditEvent in InputObject!) Choose(auditEvent);
            return;
        }
        List<(string? Given, string Log)> logs = Path is null && LiteralPath is null
            ? [(null, ResolveLogPath(null))]
            : [.. LogTargets(Path, LiteralPath).Select(t => ((string?)t.Given, t.Log))];
        if (logs.Count > 1)
        {
            // A follower never ends, so the logs after the first would never be sent; a checkpoint file belongs to one log.
            var several = logs.Select(l => l.Log).ToArray();
            if (Wait)
                throw Terminate(new ArgumentException($"-Wait follows one log; got {several.Length} logs. Run one Send-ScoutAuditEvent -Wait for each log."),
                    ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, several);
            if (CheckpointPath is not null)
                throw Terminate(new ArgumentException($"-CheckpointPath keeps the checkpoint of one log; got {several.Length} logs. Leave it out to keep each log's checkpoint beside it, or send each log with a -CheckpointPath of its own."),
                    ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, several);
        }
        foreach (var (given, path) in logs)
        {
            // Records that name a log (Get-ScoutAuditLog output, files) each send it; one named twice is sent once.
            if (_sentLogs.Add(path) && ShouldProcess(path, WhatIsSent(path, _options!))) Send(given, path, _options!);
        }
    }

    protected override void EndProcessing()
    {
        foreach (var (path, chosen) in _chosen)
        {
            Forwarding(chosen.Flush, ForwardingStage.SendingChosen, path);
            if (chosen.Approved) WriteObject(new ForwardingResult(path, OtlpEndpoint.RedactedUri(chosen.Endpoint ?? _options!.Endpoint), chosen.Total.Sent, chosen.Total.Rejected, chosen.Total.Batches, null, null));
        }
        foreach (var chosen in _chosen.Values) chosen.Dispose();
        _chosen.Clear();
    }

    /// <summary>-WhatIf's words for one log: what would be sent where (the endpoint without its secrets), and the file it would move.</summary>
    private string WhatIsSent(string path, OtlpForwarderOptions options)
    {
        var endpoint = options.ResolveEndpoint();
        var shown = OtlpEndpoint.Redacted(endpoint);
        string from, then;
        try
        {
            var checkpoint = ForwardingCheckpoint.Load(path, endpoint, options.CheckpointPath);
            from = checkpoint.LastId is { } last ? $"the events after Id {last}" : "every event (none was acknowledged yet)";
            then = checkpoint.Path is null ? "" : $", moving the checkpoint in '{checkpoint.Path}' as they are acknowledged";
        }
        catch (AuditLogException)
        {
            (from, then) = ("the events after the checkpoint", " (the checkpoint cannot be read now)");
        }
        return $"Send {from}{(Wait ? ", then each new one as it is written," : "")} to '{shown}'{then}";
    }

    /// <summary>A piped event, added to its log's next batch; a full batch is sent at once, as it is, leaving the checkpoint alone.</summary>
    private void Choose(AuditEvent auditEvent)
    {
        var path = auditEvent.Path;
        if (!_chosen.TryGetValue(path, out var chosen))
        {
            var shown = OtlpEndpoint.Redacted(_options!.ResolveEndpoint());
            _chosen[path] = chosen = new ChosenEventsForwarder(path, _options with { Notify = WriteNotice }, BatchSize, PipelineStopping)
            {
                Approve = batch => ShouldProcess($"{batch.Count} events of '{path}' ({Ids(batch)})", $"Send to '{shown}', leaving the checkpoint as it is"),
                Delivered = (batch, _) =>
                {
                    WriteVerbose($"Delivered {batch.Count} chosen events ({Ids(batch)}) of '{path}' to '{chosen!.ShownEndpoint}'; the checkpoint is left as it is.");
                    WriteProgress(new ProgressRecord(ProgressActivityId, $"Sending chosen events of {path}", $"{chosen.Total.Sent} events delivered to {chosen.ShownEndpoint}"));
                },
            };
        }
        Forwarding(() => chosen.Add(auditEvent.Source), ForwardingStage.SendingChosen, path);
    }

    /// <summary>Forwarding work: stopped quietly by Ctrl+C; a failure Core explains a terminating error (<see cref="ForwardingErrors"/>).</summary>
    private void Forwarding(Action work, ForwardingStage stage, string path, Uri? endpoint = null)
    {
        try
        {
            work();
        }
        catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception error) when (ForwardingErrors.Of(error, stage, path, OtlpEndpoint.Redacted(endpoint ?? _options!.ResolveEndpoint())) is { } failure)
        {
            throw Terminate(error, failure.ErrorId, failure.Category, failure.Target);
        }
    }

    /// <summary>Chosen events' ids, not as a range: they need not follow one another.</summary>
    private static string Ids(IReadOnlyList<LogEvent> batch) => batch.Count switch
    {
        1 => $"Id {batch[0].Id}",
        <= 4 => "Ids " + string.Join(", ", batch.Select(e => e.Id)),
        _ => $"Ids {batch[0].Id}, {batch[1].Id}, ..., {batch[^1].Id}",
    };

    /// <summary>One log's events after its checkpoint, in batches; with -Wait, then each new one until stopped.</summary>
    private void Send(string? given, string path, OtlpForwarderOptions options)
    {
        var diagnostics = new QueryDiagnostics();
        var log = OpenForReading(path, diagnostics, new QueryProgress(path));
        WarnWhenNoLog(log, given, waiting: Wait);
        OtlpForwarder? forwarder = null;
        // Deliver runs on this, the pipeline thread, and tells of retries and rejections as they happen.
        Forwarding(() => forwarder = new OtlpForwarder(path, options with { Notify = WriteNotice }), ForwardingStage.Starting, path, options.Endpoint);
        TellWhereCheckpointIs(forwarder!.Checkpoint.Location);
        using (forwarder)
        using (var follower = new LogFollower(log, new EventFilter { After = forwarder.Checkpoint.LastId }))
        {
            long sent = 0, rejected = 0;
            var batches = 0;
            void Delivered(IReadOnlyList<LogEvent> batch, ForwardingSummary delivered)
            {
                (sent, rejected, batches) = (sent + delivered.Sent, rejected + delivered.Rejected, batches + delivered.Batches);
                WriteVerbose($"Delivered events {batch[0].Id}..{batch[^1].Id} ({batch.Count}) to '{forwarder.ShownEndpoint}'; the checkpoint is {delivered.LastId}.");
                WriteProgress(new ProgressRecord(ProgressActivityId, $"Sending the events of {path}", $"{sent} events delivered to {forwarder.ShownEndpoint}"));
            }
            while (true)
            {
                Forwarding(() => forwarder.ForwardAll(NewEvents(follower, diagnostics), BatchSize, PipelineStopping, Delivered), ForwardingStage.Delivering, forwarder.LogPath);
                if (forwarder.Checkpoint.AheadOf(follower.End) is { } ahead)
                    throw Terminate(new InvalidOperationException(ahead), ErrorIds.ForwardingCheckpointAhead, ErrorCategory.InvalidData, forwarder.Checkpoint.Path);
                WriteQueryDiagnostics(diagnostics, skippedLinesAsWarnings: Wait);
                if (!Wait) break;
                Reading(diagnostics, (Follower: follower, Token: PipelineStopping), static wait =>
                {
                    wait.Follower.WaitForChange(wait.Token);
                    return true;
                });
            }
            WriteProgress(new ProgressRecord(ProgressActivityId, $"Sending the events of {path}", "Done") { RecordType = ProgressRecordType.Completed });
            WriteSkippedLinesSummary(diagnostics, path);
            WriteObject(new ForwardingResult(path, OtlpEndpoint.RedactedUri(forwarder.Endpoint), sent, rejected, batches, forwarder.Checkpoint.LastId, forwarder.Checkpoint.Path));
        }
    }

    private const int ProgressActivityId = 0x5C0F;

    /// <summary>The events of the log not read yet, streamed: a first run over a long history holds one batch, not the history.</summary>
    private IEnumerable<LogEvent> NewEvents(LogFollower follower, QueryDiagnostics diagnostics)
    {
        using var events = follower.ReadNew(null, PipelineStopping).GetEnumerator();
        while (Reading(diagnostics, events, static read => read.MoveNext())) yield return events.Current;
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
}
