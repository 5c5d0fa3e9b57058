using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// A forward read of a log's history (<see cref="AuditLog.Query(EventFilter?, CancellationToken)"/>
/// and the aggregates): the plan of which files, and which parts of them, can hold what a filter
/// asks; each read with <see cref="SegmentReader"/>; and afterwards an index entry for the
/// original's archives found whole, so that the next query can skip them by time.
/// </summary>
internal sealed class HistoryReader(LogFiles files, ArchiveUpkeep upkeep, AuditLogOptions options)
{
    private int _toldSharedDirectory;

    /// <summary>The files of the log now, opened: what one query reads (see <see cref="LogSnapshot"/>), as far as <see cref="AuditLogOptions.ReadsFile"/> says.</summary>
    public LogSnapshot TakeSnapshot()
    {
        ReportSharedDirectory();
        return LogSnapshot.Take(files, options.Diagnostics).Keeping(options.ReadsFile);
    }

    /// <summary>Says so when <see cref="EventFilter.After"/> is at or past the end of the history: the answer is empty whatever is written before it.</summary>
    public void ReportAfterPastEnd(LogSnapshot snapshot, EventFilter filter)
    {
        if (filter.After is { } after && after >= snapshot.End && snapshot.Segments.Count > 0)
            options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.AfterPastEnd, files.Active,
                $"No event of '{files.Active}' comes after id {after}: the log ends at id {snapshot.End}. An id kept from before the log was deleted and begun again names nothing in it."));
    }

    /// <summary>
    /// Says once per log object that another user than the directory's owner may change the files it
    /// reads (<see cref="FileSafety.WhyShared"/>): they could have replaced any of them. Reading goes on:
    /// the chain (Test-ScoutAuditLog) is what tells what was replaced.
    /// </summary>
    private void ReportSharedDirectory()
    {
        if (Interlocked.Exchange(ref _toldSharedDirectory, 1) != 0) return;
        if (FileSafety.WhyShared(files.Directory, forWriting: false) is { } shared)
            options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SharedDirectory, files.Active,
                $"The audit log '{files.Active}' lies in a directory others may change: '{files.Directory}' ({shared}). Any of its files may have been put there by them; Test-ScoutAuditLog tells what the chain vouches for."));
    }

    /// <summary>
    /// The values of the snapshot's lines that pass the filter, oldest file first. For a follower,
    /// <paramref name="lineNumbers"/> carries the active file's line count from one read to the next,
    /// and archives skipped for being at or before <see cref="EventFilter.After"/> are not reported (a
    /// follower skips them all, every time).
    /// </summary>
    public IEnumerable<T> Read<T>(LogSnapshot snapshot, EventFilter filter, LineValues<T> values, LineNumbers? lineNumbers, CancellationToken cancellation)
    {
        var diagnostics = options.Diagnostics;
        var progress = options.ReadProgress;
        var context = new ReadContext(filter, diagnostics, new StringPools(), progress, cancellation); // the same strings recur in every file
        var sizes = progress is null ? null : snapshot.Segments.Select(SegmentReader.SizeOf).ToArray();
        if (progress is not null) progress.AddTotal(sizes!.Sum());
        var readWhole = new List<string>(); // archives without an index entry, read to their end without damage
        for (var i = 0; i < snapshot.Segments.Count; i++)
        {
            var segment = snapshot.Segments[i];
            var outside = segment.Index?.IsOutside(filter.Since, filter.Until) == true;
            var beforeAfter = filter.EndsBeforeAfter(segment.Base + segment.Length);
            if (outside || beforeAfter)
            {
                if (segment.Kind == SegmentKind.Archive && (outside || lineNumbers is null))
                    diagnostics.Report(outside ? ArchiveSkipped(segment) : new AuditDiagnostic(AuditDiagnosticKind.ArchiveSkipped, segment.Path,
                        $"Skipped the archive '{segment.Path}': its events all come at or before id {filter.After}."));
                progress?.AddRead(sizes![i]);
                continue;
            }
            if (LogSnapshot.RandomAccessOf(segment) is { } file)
                segment = segment with { Ranges = AfterRange(segment, file.File, file.Length, filter, lineNumbers) ?? ActiveRanges(segment, file.File, file.Length, filter, cancellation) };
            var watch = segment is { Kind: SegmentKind.Archive, Index: null } ? new DamageWatch(diagnostics) : null;
            var before = progress?.BytesRead ?? 0;
            foreach (var item in SegmentReader.Read(segment, watch is null ? context : context with { Diagnostics = watch }, values))
            {
                progress?.AddFound();
                yield return item;
            }
            if (watch is { SawDamage: false }) readWhole.Add(segment.Path);
            if (progress is null) continue;
            // What was not read of the file (a damaged archive's rest) counts as done with it.
            var unread = sizes![i] - (progress.BytesRead - before);
            if (unread > 0) progress.AddRead(unread);
        }
        IndexArchives(readWhole, diagnostics, cancellation);
    }

    internal static AuditDiagnostic ArchiveSkipped(Segment segment) =>
        new(AuditDiagnosticKind.ArchiveSkipped, segment.Path, $"Skipped the archive '{segment.Path}': the index shows no event in the asked time range.");

    /// <summary>
    /// With <see cref="EventFilter.After"/> inside a file read at any offset (the active file, a
    /// sealed segment), the one part of it that holds the lines after that id: resuming costs what
    /// was written since, not the file. Null when the id is not inside the file.
    /// </summary>
    private static IReadOnlyList<ReadRange>? AfterRange(Segment segment, SafeFileHandle file, long length, EventFilter filter, LineNumbers? lineNumbers)
    {
        if (filter.After is not { } after || after < segment.Base) return null;
        var start = LineNumbers.StartAfter(file, after - segment.Base, length);
        return [new ReadRange(start, length - start, (lineNumbers ?? new LineNumbers()).At(file, start))];
    }

    /// <summary>The blocks of the active file that can hold the filter's time window (<see cref="TimeBlocks"/>), or null to read it all.</summary>
    private IReadOnlyList<ReadRange>? ActiveRanges(Segment segment, SafeFileHandle file, long length, EventFilter filter, CancellationToken cancellation) =>
        segment.Kind == SegmentKind.Active
            ? TimeBlocks.Plan(files.TimeBlocks, file, length, filter, options.TimeBlockBytes, options.Diagnostics, cancellation)
            : null;

    /// <summary>Passes reports on, and remembers whether a line was skipped or the file found damaged.</summary>
    private sealed class DamageWatch(IAuditDiagnostics inner) : IAuditDiagnostics
    {
        public bool SawDamage { get; private set; }

        public void Report(AuditDiagnostic diagnostic)
        {
            if (diagnostic.Kind is AuditDiagnosticKind.LineSkipped or AuditDiagnosticKind.ArchiveDamaged or AuditDiagnosticKind.ArchiveSuspicious) SawDamage = true;
            inner.Report(diagnostic);
        }
    }

    /// <summary>
    /// After a read that went through archives without a current index entry (the original's, which
    /// keeps no index) and found them whole, gives them one, so that the next query skips them by
    /// time. A log this process may not write to, or an archiver at work, leaves them as they are:
    /// the index never decides an answer, it only saves reading.
    /// </summary>
    private void IndexArchives(List<string> archives, IAuditDiagnostics diagnostics, CancellationToken cancellation)
    {
        if (archives.Count == 0) return;
        try
        {
            foreach (var path in upkeep.Index(archives, cancellation))
                diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, path, $"Added the archive '{path}' to the index, so later queries can skip it by time."));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, files.Index,
                $"The archives without an index entry were read in full but could not be added to the index '{files.Index}': {error.Message}", Exception: error));
        }
    }
}
