namespace ScoutAudit.Core;

/// <summary>
/// Reads the events of one file of the log, in file order, skipping (and reporting with file and
/// line number) every line that is not a valid event. Streams: memory does not grow with the file.
/// </summary>
internal static class SegmentReader
{
    private const int CancellationCheckLines = 1024;

    public static IEnumerable<AuditEvent> Read(string path, IAuditDiagnostics diagnostics, CancellationToken cancellation)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete, // writers and rotation go on while we read
                BufferSize = 0, // LineReader buffers
                Options = FileOptions.SequentialScan,
            });
        }
        catch (FileNotFoundException)
        {
            yield break;
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(path, $"The audit log '{path}' cannot be read: {error.Message}", error);
        }

        using (stream)
        {
            var lines = new LineReader(stream);
            while (true)
            {
                var parsed = ReadOne(lines, path, diagnostics, out var status);
                if (status == LineStatus.End) yield break;
                if (parsed is not null) yield return parsed;
                if (lines.LineNumber % CancellationCheckLines == 0) cancellation.ThrowIfCancellationRequested();
            }
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
        if (line.IsEmpty || line.IsWhiteSpaceLine()) return null; // blank lines are no events, and no damage
        if (AuditLineParser.TryParse(line, out var parsed, out var problem)) return parsed;
        if (status == LineStatus.Unterminated)
            problem = $"the last line is torn (no final newline) and incomplete: {problem}";
        Skip(diagnostics, path, lines.LineNumber, problem!);
        return null;
    }

    private static bool IsWhiteSpaceLine(this ReadOnlySpan<byte> line) => line.Trim(" \t"u8).IsEmpty;

    private static void Skip(IAuditDiagnostics diagnostics, string path, long lineNumber, string problem) =>
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LineSkipped, path,
            $"Skipped line {lineNumber} of '{path}': {problem}.", lineNumber));
}
