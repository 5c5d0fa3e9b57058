using System.IO.Compression;

namespace ScoutAudit.Core;

/// <summary>
/// Reads the events of one file of the log, in file order, skipping (and reporting with file and
/// line number) every line that is not a valid event. Streams: memory does not grow with the file.
/// A damaged archive yields its readable part and is reported; the query goes on.
/// </summary>
internal static class SegmentReader
{
    private const int CancellationCheckLines = 1024;

    /// <summary>Turns a line into <typeparamref name="T"/>, or says what is wrong with it.</summary>
    public delegate bool LineParser<T>(ReadOnlySpan<byte> line, StringPool pool, out T value, out string? problem);

    /// <summary>The events of the segment that pass the filter.</summary>
    public static IEnumerable<AuditEvent> Read(Segment segment, EventFilter filter, IAuditDiagnostics diagnostics, CancellationToken cancellation) =>
        Read<AuditEvent>(segment, filter, diagnostics, cancellation, ParseEvent, filter.Matches);

    /// <summary>What aggregates need of each event of the segment that passes the filter.</summary>
    public static IEnumerable<EventSummary> Summaries(Segment segment, EventFilter filter, IAuditDiagnostics diagnostics, CancellationToken cancellation) =>
        Read<EventSummary>(segment, filter, diagnostics, cancellation, AuditLineParser.TrySummarize, filter.Matches);

    private static bool ParseEvent(ReadOnlySpan<byte> line, StringPool pool, out AuditEvent value, out string? problem)
    {
        var parsed = AuditLineParser.TryParse(line, pool, out var e, out problem);
        value = e!;
        return parsed;
    }

    private static IEnumerable<T> Read<T>(Segment segment, EventFilter filter, IAuditDiagnostics diagnostics, CancellationToken cancellation,
        LineParser<T> parse, Func<T, bool> matches)
    {
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, segment.Path, $"Reading {Describe(segment.Kind)} '{segment.Path}'."));
        var stream = segment.Kind == SegmentKind.Archive ? OpenArchive(segment.Path, diagnostics) : segment.Opened;
        if (stream is null) yield break;

        using (stream)
        {
            var lines = new LineReader(stream);
            var pool = new StringPool();
            while (true)
            {
                bool found;
                T parsed;
                LineStatus status;
                try
                {
                    found = ReadOne(lines, segment.Path, filter, diagnostics, pool, parse, out parsed, out status);
                }
                catch (InvalidDataException error)
                {
                    Damaged(diagnostics, segment.Path, lines.LineNumber, error.Message, error);
                    yield break;
                }
                if (status == LineStatus.End) break;
                if (found && matches(parsed)) yield return parsed;
                if (lines.LineNumber % CancellationCheckLines == 0) cancellation.ThrowIfCancellationRequested();
            }
            if (segment.Kind == SegmentKind.Archive && !TrailerMatches(segment.Path, lines.BytesRead))
                Damaged(diagnostics, segment.Path, lines.LineNumber, "the archive is truncated (its gzip trailer does not match what could be read)", null);
        }
    }

    private static Stream? OpenArchive(string path, IAuditDiagnostics diagnostics)
    {
        try
        {
            var file = LogSnapshot.TryOpen(path);
            return file is null ? null : new GZipStream(file, CompressionMode.Decompress);
        }
        catch (AuditLogException error)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveDamaged, path,
                $"The archive '{path}' cannot be read and was skipped: {error.InnerException?.Message ?? error.Message}", Exception: error));
            return null;
        }
    }

    /// <summary>
    /// .NET's GZipStream ends quietly at a truncated archive, so the gzip trailer's ISIZE (the
    /// uncompressed length mod 2^32) is compared with what was read.
    /// </summary>
    private static bool TrailerMatches(string path, long bytesRead)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(file);
            if (length < 18) return false; // smaller than any complete gzip member
            Span<byte> trailer = stackalloc byte[4];
            RandomAccess.Read(file, trailer, length - 4);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer) == (uint)bytesRead;
        }
        catch (IOException)
        {
            return true; // gone since: nothing more to say
        }
    }

    // Spans cannot live across a yield; the line is parsed here, outside the iterator.
    private static bool ReadOne<T>(LineReader lines, string path, EventFilter filter, IAuditDiagnostics diagnostics, StringPool pool,
        LineParser<T> parse, out T value, out LineStatus status)
    {
        value = default!;
        status = lines.Next(out var line);
        switch (status)
        {
            case LineStatus.End:
                return false;
            case LineStatus.TooLong:
                Skip(diagnostics, path, lines.LineNumber, $"the line is {lines.SkippedLength} bytes long; lines over {LineReader.DefaultMaxLineBytes} bytes are not read");
                return false;
        }
        if (line.Trim(" \t"u8).IsEmpty) return false; // blank lines are no events, and no damage
        string? problem;
        if (LineHeader.TryRead(line, out var timestamp, out var eventType) && !filter.MayMatch(timestamp, eventType))
        {
            // Ruled out by its time or type: only checked for damage, which is still reported.
            if (AuditLineParser.IsWellFormed(line, out problem, out var headerRepeated) && !headerRepeated) return false;
        }
        if (parse(line, pool, out value, out problem)) return true;
        if (status == LineStatus.Unterminated)
            problem = $"the last line is torn (no final newline) and incomplete: {problem}";
        Skip(diagnostics, path, lines.LineNumber, problem!);
        return false;
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

    private static void Damaged(IAuditDiagnostics diagnostics, string path, long lineNumber, string problem, Exception? error) =>
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveDamaged, path,
            $"The archive '{path}' is damaged after line {lineNumber}: {problem}; the rest of it was skipped.", lineNumber, error));
}
