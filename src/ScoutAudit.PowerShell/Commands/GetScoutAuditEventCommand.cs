using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Completion;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Streams the events of a log that pass the filters (the original's <c>query()</c> and
/// <c>last_events()</c>), oldest first. Stops reading as soon as the pipeline stops.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ScoutAuditEvent", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditEvent))]
public sealed class GetScoutAuditEventCommand : ReadPathsCommandBase
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(EventTypeCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Event { get; set; }

    [Parameter]
    [Instant]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only the events after the one with this id (an event's Id): resumes where an earlier read stopped.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? After { get; set; }

    [Parameter]
    [Instant]
    public DateTimeOffset? Until { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? SessionId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string[]? Model { get; set; }

    /// <summary>After the events there are, waits for new ones and passes each on as it is written, until stopped (alias Follow, as tail -f says it).</summary>
    [Parameter]
    [Alias("Follow")]
    public SwitchParameter Wait { get; set; }

    protected override void BeginProcessing()
    {
        // -Event is the first position, so `Get-ScoutAuditEvent ./a.jsonl` would look for events of type
        // "./a.jsonl" and find none, in silence: a log's name is never taken for an event type.
        if (Event?.FirstOrDefault(LooksLikeALog) is { } path)
            throw Terminate(new ArgumentException($"-Event '{path}' is the name of a log file, not an event type; give the log as -Path '{path}' (-Event is the first position)."),
                ErrorIds.EventTypeIsPath, ErrorCategory.InvalidArgument, path);
        if (Wait && Until is not null)
            throw Terminate(new ArgumentException("-Wait follows the log without end, and -Until ends the events at a time: use one or the other."),
                ErrorIds.InvalidWait, ErrorCategory.InvalidArgument, Until);
    }

    private static bool LooksLikeALog(string type) =>
        type.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || type.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);

    protected override void ProcessRecord()
    {
        var filter = TimeWindow(Since, Until) with { EventTypeTest = AnyOf(Event), SessionIdTest = AnyOf(SessionId), ModelTest = AnyOf(Model), After = After };
        var targets = ReadTargets(Path, LiteralPath, waiting: Wait);
        if (Wait && (targets = targets.ToList()) is List<ReadTarget> { Count: > 1 } several)
            throw Terminate(new ArgumentException($"-Wait follows one log; got {several.Count} logs. Run one Get-ScoutAuditEvent -Wait for each log."),
                ErrorIds.InvalidWait, ErrorCategory.InvalidArgument, Path ?? LiteralPath);
        foreach (var target in targets)
        {
            var given = target.Given;
            if (Wait && target.IsArchive)
                throw Terminate(new ArgumentException($"-Wait follows a log as it is written, and '{target.Path}' is an archive, which never changes; follow its log: -Path '{target.LogPath}'."),
                    ErrorIds.InvalidWait, ErrorCategory.InvalidArgument, given);
            if (Last is { } count && !Wait)
            {
                foreach (var auditEvent in Read(target, given, log => log.Last(count, filter, PipelineStopping))) WriteObject(new AuditEvent(auditEvent, target.LogPath).ToPSObject());
                continue;
            }
            Stream(target, given, filter);
        }
    }

    /// <summary>
    /// The events of the query, or with -Wait those of a follower (the last -Last of them first), as
    /// the pipeline takes them: progress while the log as it was is read, then one summary of what
    /// was skipped; after that a follower's skipped lines are warned of one by one, as they come.
    /// </summary>
    private void Stream(ReadTarget target, string? given, EventFilter filter)
    {
        var path = target.LogPath;
        var diagnostics = new QueryDiagnostics();
        var progress = new QueryProgress(target.Path);
        var log = OpenForReading(target, diagnostics, progress, once: !Wait);
        using var follower = Wait ? new LogFollower(log, filter) : null;
        WarnWhenNothingToRead(log, target, given, waiting: Wait);
        var summarised = false;
        void Summarise()
        {
            summarised = true;
            WriteQueryDiagnostics(diagnostics);
            WriteProgressCompleted(progress, diagnostics);
            WriteSkippedLinesSummary(diagnostics, target.Path);
        }
        void Report()
        {
            if (!summarised && follower?.CaughtUp == true) Summarise();
            WriteQueryDiagnostics(diagnostics, skippedLinesAsWarnings: summarised);
            if (!summarised) WriteProgressIfDue(progress, diagnostics);
        }
        Func<CancellationToken, IEnumerable<LogEvent>> source = follower is null ? token => log.Query(filter, token) : token => follower.Follow(Last, token);
        using (var events = new ReadAhead<LogEvent>(source, PipelineStopping))
        {
            // While the scan finds nothing, this thread still writes its progress and verbose messages.
            // Once a follower has caught up there is no progress to show: waking once a second to write what it reported is enough.
            TimeSpan Interval() => summarised ? TimeSpan.FromSeconds(1) : QueryProgress.Interval;
            while (Reading(diagnostics, (Events: events, Waiting: (Action)Report, Interval: (Func<TimeSpan>)Interval),
                       static step => step.Events.MoveNext(step.Waiting, step.Interval)))
            {
                Report();
                WriteObject(new AuditEvent(events.Current, path).ToPSObject());
            }
        }
        if (!summarised) Summarise();
    }

    /// <summary>A test that passes text matching any of the patterns as PowerShell's -like does (wildcards, any case), or null for none.</summary>
    private static Func<string, bool>? AnyOf(string[]? patterns)
    {
        if (patterns is null) return null;
        var wildcards = patterns.Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
        // A pattern compiles itself on first use; done here, before scanning threads share it.
        foreach (var pattern in wildcards) pattern.IsMatch("");
        return text => wildcards.Any(pattern => pattern.IsMatch(text));
    }
}
