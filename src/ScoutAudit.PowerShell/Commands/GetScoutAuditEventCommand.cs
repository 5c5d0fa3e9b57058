using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Completion;
using ScoutAudit.PowerShell.Session;
using CoreEvent = ScoutAudit.Core.AuditEvent;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Streams the events of a log that pass the filters (the original's <c>query()</c> and
/// <c>last_events()</c>), oldest first. Stops reading as soon as the pipeline stops.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ScoutAuditEvent")]
[OutputType(typeof(AuditEvent))]
public sealed class GetScoutAuditEventCommand : AuditCommandBase
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(EventTypeCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Event { get; set; }

    [Parameter]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only the events after the one with this id (an event's Id): resumes where an earlier read stopped.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? After { get; set; }

    [Parameter]
    public DateTimeOffset? Until { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? SessionId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string[]? Model { get; set; }

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        var filter = TimeWindow(Since, Until) with { EventTypeTest = AnyOf(Event), SessionIds = SessionId, ModelTest = AnyOf(Model), After = After };
        foreach (var given in GivenPaths(Path))
        {
            var path = ResolveLogPath(given);
            if (Last is { } count)
            {
                foreach (var auditEvent in Read(path, given, log => log.Last(count, filter, PipelineStopping))) WriteObject(new AuditEvent(auditEvent, path).ToPSObject());
                continue;
            }
            Stream(path, given, filter);
        }
    }

    private void Stream(string path, string? given, EventFilter filter)
    {
        var diagnostics = new QueryDiagnostics();
        var progress = new QueryProgress(path);
        var log = OpenForReading(path, diagnostics, progress);
        WarnWhenNoLog(log, given);
        using (var events = new ReadAhead<CoreEvent>(token => log.Query(filter, token), PipelineStopping))
        {
            // While the scan finds nothing, this thread still writes its progress and verbose messages.
            void Waiting()
            {
                WriteQueryDiagnostics(diagnostics);
                WriteProgressIfDue(progress, diagnostics);
            }
            while (Reading(diagnostics, (Events: events, Waiting: (Action)Waiting), static read => read.Events.MoveNext(read.Waiting, QueryProgress.Interval)))
            {
                WriteQueryDiagnostics(diagnostics);
                WriteObject(new AuditEvent(events.Current, path).ToPSObject());
                WriteProgressIfDue(progress, diagnostics);
            }
        }
        WriteQueryDiagnostics(diagnostics);
        WriteProgressCompleted(progress, diagnostics);
        WriteSkippedLinesSummary(diagnostics, path);
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
