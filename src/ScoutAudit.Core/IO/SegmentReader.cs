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

    public static IEnumerable<AuditEvent> Read(Segment segment, IAuditDiagnostics diagnostics, CancellationToken cancellation)
    {
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, segment.Path, $"Reading {Describe(segment.Kind)} '{segment.Path}'."));
        var stream = segment.Kind == SegmentKind.Archive ? OpenArchive(segment.Path, diagnostics) : segment.Opened;
        if (stream is null) yield break;

        using (stream)
        {
            var lines = new LineReader(stream);
            while (true)
            {
                AuditEvent? parsed;
                LineStatus status;
                try
                {
                    parsed = ReadOne(lines, segment.Path, diagnostics, out status);
                }
                catch (InvalidDataException error)
                {
                    Damaged(diagnostics, segment.Path, lines.LineNumber, error.Message, error);
                    yield break;
                }
                if (status == LineStatus.End) break;
                if (parsed is not null) yield return parsed;
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
    private static AuditEvent? ReadOne(LineReader lines, string path, IAuditDiagnostics diagnostics, out LineStatus status)
    {
        status = lines.Next(out var line);
        switch (status)
        {
            case LineStatus.End:
                return null;
            case LineStatus.TooLong:
                Skip(diagnostics, path, lines.LineNumber, $"the line is {lines.SkippedLength} bytes long; lines over {LineReader.DefaultMaxLineBytes} bytes are not read");
                return null;
        }
        if (line.Trim(" \t"u8).IsEmpty) return null; // blank lines are no events, and no damage
        if (AuditLineParser.TryParse(line, out var parsed, out var problem)) return parsed;
        if (status == LineStatus.Unterminated)
            problem = $"the last line is torn (no final newline) and incomplete: {problem}";
        Skip(diagnostics, path, lines.LineNumber, problem!);
        return null;
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
