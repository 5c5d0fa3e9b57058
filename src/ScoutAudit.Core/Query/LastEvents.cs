using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// The last events of a log (the original's <c>last_events</c>, <see cref="AuditLog.Last(int, EventFilter?, CancellationToken)"/>):
/// the active file and sealed segments read backwards from their end, archives (gzip reads forwards
/// only) one by one from the newest, until enough are found, so that the cost follows the count,
/// not the history. Lines are judged as a forward read judges them (<see cref="LineJudge"/>).
/// </summary>
internal static class LastEvents
{
    /// <summary>The last <paramref name="count"/> events of the snapshot that pass the filter, oldest first.</summary>
    public static IReadOnlyList<LogEvent> Read(LogSnapshot snapshot, int count, EventFilter filter, AuditLogOptions options, CancellationToken cancellation)
    {
        var diagnostics = options.Diagnostics;
        var progress = options.ReadProgress;
        var newestFirst = new List<LogEvent>(Math.Min(count, 1024));
        // Sizes only for a progress report: a stat per archive is not free on a long history.
        var sizes = progress is null ? null : snapshot.Segments.Select(SegmentReader.SizeOf).ToArray();
        progress?.AddTotal(sizes!.Sum());
        long done = 0;
        for (var i = snapshot.Segments.Count - 1; i >= 0 && newestFirst.Count < count; i--)
        {
            var segment = snapshot.Segments[i];
            if (filter.EndsBeforeAfter(segment.Base + segment.Length)) break; // this one and every older one end at or before -After
            if (segment.Index?.IsOutside(filter.Since, filter.Until) == true)
            {
                diagnostics.Report(HistoryReader.ArchiveSkipped(segment));
            }
            else if (LogSnapshot.RandomAccessOf(segment) is { } file)
            {
                var before = newestFirst.Count;
                var read = LastOfFile(segment.Path, segment.Base, file.File, file.Length, filter, count, newestFirst, diagnostics, cancellation);
                progress?.AddRead(read);
                done += read;
                for (var found = before; found < newestFirst.Count; found++) progress?.AddFound();
                continue;
            }
            else
            {
                // An archive, forwards: its last matches are the newest of what is left to find.
                var window = new Queue<LogEvent>();
                foreach (var e in SegmentReader.Read(segment, new ReadContext(filter, diagnostics, new StringPools(), null, cancellation), LineValues.Events))
                {
                    if (window.Count == count - newestFirst.Count) window.Dequeue();
                    window.Enqueue(e);
                }
                newestFirst.AddRange(window.Reverse());
                for (var found = 0; found < window.Count; found++) progress?.AddFound();
            }
            if (progress is not null)
            {
                progress.AddRead(sizes![i]);
                done += sizes[i];
            }
        }
        if (progress is not null && sizes!.Sum() > done) progress.AddRead(sizes!.Sum() - done); // what the answer did not need counts as done
        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>Adds the file's matching events, newest first, to <paramref name="newestFirst"/> until it holds <paramref name="count"/>; returns the bytes read.</summary>
    private static long LastOfFile(string path, long positionBase, SafeFileHandle file, long length, EventFilter filter, int count,
        List<LogEvent> newestFirst, IAuditDiagnostics diagnostics, CancellationToken cancellation)
    {
        var lines = new BackwardLineReader(file, length);
        var numbers = new LineNumbers();
        while (newestFirst.Count < count && lines.Previous(out var line, out var offset, out var status))
        {
            cancellation.ThrowIfCancellationRequested();
            if (status == LineStatus.TooLong)
            {
                Skip(offset, LineJudge.TooLong(lines.SkippedLength));
                continue;
            }
            if (LineJudge.IsBlank(line)) continue;
            if (!AuditLineParser.TryParse(line, out var e, out var problem))
            {
                Skip(offset, LineJudge.NotAnEvent(status, problem!));
                continue;
            }
            e!.Id = positionBase + offset;
            if (!filter.Matches(e)) continue;
            if (e.InvalidFields.Count > 0 || e.OmittedExtraFields > 0) OddValues.OfEvent(e, path, numbers.At(file, offset), diagnostics);
            newestFirst.Add(e);
        }
        return lines.BytesRead;

        void Skip(long offset, string problem)
        {
            var number = numbers.At(file, offset);
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LineSkipped, path, $"Skipped line {number} of '{path}': {problem}.", number));
        }
    }
}
