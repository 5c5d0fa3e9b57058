namespace ScoutAudit.Core;

/// <summary>
/// Reads the events of one file of the log, in file order, skipping (and reporting with file and
/// line number) every line that is not a valid event. Streams: memory does not grow with the file.
/// A damaged archive yields its readable part and is reported; the query goes on.
/// </summary>
internal static class SegmentReader
{
    /// <summary>The values (<paramref name="values"/>) of the segment's lines that pass the context's filter.</summary>
    public static IEnumerable<T> Read<T>(Segment segment, ReadContext context, LineValues<T> values)
    {
        var (diagnostics, progress) = (context.Diagnostics, context.Progress);
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, segment.Path, $"Reading {Describe(segment.Kind)} '{segment.Path}'."));
        var stream = segment.Kind == SegmentKind.Archive
            ? OpenArchive(segment, diagnostics, progress)
            : segment.Opened is { } opened && progress is not null ? new ProgressStream(opened, progress) : segment.Opened;
        if (stream is null) yield break;

        var damage = new DamageFound();
        using (stream)
        {
            if (segment.Ranges is { } ranges && LogSnapshot.RandomAccessOf(segment) is { } file)
            {
                // Only the parts of the file that can hold what is asked (TimeBlocks), each numbered as the file.
                foreach (var range in ranges)
                {
                    Stream part = new FileRangeStream(file.File, range.Offset, range.Length);
                    if (progress is not null) part = new ProgressStream(part, progress);
                    using (part)
                    {
                        var lines = new LineReader(part, firstLineNumber: range.FirstLine);
                        foreach (var value in Read(segment, lines, part, context, values, damage, range.Clean, segment.Base + range.Offset))
                            yield return value;
                    }
                }
                yield break;
            }
            var whole = new LineReader(stream);
            foreach (var value in Read(segment, whole, stream, context, values, damage, clean: false, segment.Base))
                yield return value;
            if (segment.Kind == SegmentKind.Archive && !damage.Found && !GzipIntegrity.TrailerMatches(segment.Path, whole.BytesRead))
                Damaged(diagnostics, segment.Path, whole.LineNumber, "the archive is truncated (its gzip trailer does not match what could be read)", null);
        }
    }

    /// <summary>The bytes a query reads of the segment: the file's length (compressed, for an archive), or the active file's length at the snapshot.</summary>
    public static long SizeOf(Segment segment)
    {
        try
        {
            return segment.Opened?.Length ?? new FileInfo(segment.Path).Length;
        }
        catch (IOException)
        {
            return 0; // gone since the snapshot: nothing will be read of it
        }
    }

    private static IEnumerable<T> Read<T>(Segment segment, LineReader lines, Stream stream, ReadContext context, LineValues<T> values,
        DamageFound damageFound, bool clean, long positionBase)
    {
        var diagnostics = context.Diagnostics;
        var judged = values.Parallel && IsLarge(segment, stream)
            ? LineJudgements.InParallel(lines, context, values.Parse, clean)
            : LineJudgements.InOrder(lines, context, values.Parse, clean);
        foreach (var judgement in judged)
        {
            if (judgement.Damage is { } damage)
            {
                if (ArchiveBounds.SuspicionIn(damage) is { } suspicion) Suspicious(diagnostics, suspicion, judgement.LineNumber);
                else Damaged(diagnostics, segment.Path, judgement.LineNumber, damage.Message, damage);
                damageFound.Found = true;
                yield break;
            }
            if (judgement.Problem is { } problem) Skip(diagnostics, segment.Path, judgement.LineNumber, problem);
            else if (judgement.Found)
            {
                values.Place?.Invoke(judgement.Value, positionBase + judgement.Offset); // before matching: -After filters on it
                if (!values.Matches(context.Filter, judgement.Value)) continue;
                values.ReportOddValues(judgement.Value, segment.Path, judgement.LineNumber, diagnostics);
                yield return judgement.Value;
            }
        }
    }

    /// <summary>Whether the stream was found damaged (reported once: the rest of the file is not read, nor its trailer checked).</summary>
    private sealed class DamageFound
    {
        public bool Found { get; set; }
    }

    private static bool IsLarge(Segment segment, Stream stream)
    {
        const long LargeFile = 4 * 1024 * 1024, LargeArchive = 512 * 1024;
        if (Environment.ProcessorCount < 2) return false;
        try
        {
            return segment.Kind == SegmentKind.Archive ? new FileInfo(segment.Path).Length > LargeArchive : stream.Length > LargeFile;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The archive's decompressed bytes, read under <see cref="ArchiveBounds"/>; null when it is gone, unreadable or known to be suspicious (reported).</summary>
    private static Stream? OpenArchive(Segment segment, IAuditDiagnostics diagnostics, ReadProgress? progress)
    {
        var path = segment.Path;
        FileStream? file;
        try
        {
            file = LogSnapshot.TryOpen(path);
        }
        catch (AuditLogException error)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveDamaged, path,
                $"The archive '{path}' cannot be read and was skipped: {error.InnerException?.Message ?? error.Message}", Exception: error));
            return null;
        }
        if (file is null) return null;
        try
        {
            return ArchiveBounds.Open(path, file, segment.Index?.UncompressedBytes, progress is null ? null : compressed => new ProgressStream(compressed, progress));
        }
        catch (InvalidDataException error) when (ArchiveBounds.SuspicionIn(error) is { } suspicion)
        {
            file.Dispose();
            Suspicious(diagnostics, suspicion, lineNumber: null);
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            file.Dispose();
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveDamaged, path, $"The archive '{path}' cannot be read and was skipped: {error.Message}", Exception: error));
            return null;
        }
    }

    private static string Describe(SegmentKind kind) => kind switch
    {
        SegmentKind.Archive => "archive",
        SegmentKind.Sealed => "sealed segment",
        _ => "active file",
    };

    private static void Skip(IAuditDiagnostics diagnostics, string path, long lineNumber, string problem) =>
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LineSkipped, path,
            $"Skipped line {lineNumber} of '{path}': {problem}.", lineNumber));

    /// <summary>
    /// An archive past <see cref="ArchiveBounds"/>: stopped where it passed the bound (after
    /// <paramref name="lineNumber"/> lines, whose events were returned), or not read at all.
    /// </summary>
    private static void Suspicious(IAuditDiagnostics diagnostics, SuspiciousArchiveException suspicion, long? lineNumber) =>
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveSuspicious, suspicion.Path,
            $"The archive '{suspicion.Path}' is suspicious (a decompression bomb): {suspicion.Reason}. " +
            $"An archive may decompress to at most {ArchiveBounds.MaxRatio} times its size ({suspicion.Limit} bytes for this one). " +
            (suspicion.IsRecalled || lineNumber is null
                ? $"None of its events are returned{(suspicion.IsRecalled ? ": it was found so earlier in this session and is not read again" : "")}. "
                : $"Its read stopped there{(lineNumber > 0 ? $", after line {lineNumber}" : "")}: none of its events from there on are returned, and later queries in this session skip it whole. ") +
            "Test-ScoutAuditLog reports it (ArchiveSuspicious).",
            lineNumber, suspicion));

    private static void Damaged(IAuditDiagnostics diagnostics, string path, long lineNumber, string problem, Exception? error) =>
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveDamaged, path,
            $"The archive '{path}' is damaged after line {lineNumber}: {problem}; the rest of it was skipped.", lineNumber, error));
}
