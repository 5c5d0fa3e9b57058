using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// Every line of the active file or a sealed segment checked as <see cref="LogVerifier"/> checks it
/// (an event, a blank line, a line torn by a crash and ended by the next write, or damage), the
/// file hashed on the way: whole, and its first bytes for comparison with what was verified before.
/// </summary>
internal sealed class FileLinesCheck(Action<IntegrityFinding> report, CancellationToken cancellation)
{
    /// <summary>Damaged lines reported one by one per file; the rest are counted in one finding.</summary>
    private const int LinesReportedPerFile = 20;

    /// <summary>The bytes of the files checked.</summary>
    public long BytesRead { get; private set; }

    /// <summary>What reading a whole file gave: its length, the digests of its first bytes and of all of it, and, for the active file, the state to record.</summary>
    public readonly record struct FileRead(long Length, string? Prefix, string Whole, VerifiedState? State);

    /// <summary>Checks every line of the active file or a sealed segment, hashing it on the way; null when it is not there or cannot be read.</summary>
    public FileRead? Check(string path, bool isActive, long? prefixLength, Action<SafeFileHandle, long>? opened = null)
    {
        FileStream file;
        try
        {
            file = FileSafety.OpenExistingRegularForReading(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, path, $"The file cannot be read: {error.Message}"));
            return null;
        }
        using (file)
        {
            var length = file.Length;
            opened?.Invoke(file.SafeFileHandle, length);
            using var hashing = new PrefixDigest(new FileRangeStream(file.SafeFileHandle, 0, length), prefixLength);
            var reader = new LineReader(hashing);
            var damaged = 0;
            long completeLength = 0;
            while (true)
            {
                var status = reader.Next(out var line);
                if (status == LineStatus.End) break;
                if (reader.LineNumber % 4096 == 0) cancellation.ThrowIfCancellationRequested();
                // The active file's last line, unterminated, is a write in progress or a tail the next writer repairs.
                if (status == LineStatus.Unterminated && isActive) break;
                completeLength = reader.Position;
                if (status != LineStatus.TooLong && (LineJudge.IsBlank(line) || IsEvent(line))) continue;
                var torn = status == LineStatus.Line && TornWrite.IsRepaired(line, reader.Position - 1);
                if (++damaged <= LinesReportedPerFile)
                    report(torn
                        ? new(IntegrityFindingKind.TornLine, IntegritySeverity.Warning, path,
                            $"Line {reader.LineNumber} was cut short by a crash and ended by the next write: that event is lost, nothing was altered.", Line: reader.LineNumber)
                        : new(IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, path,
                            $"Line {reader.LineNumber} is not an event{(status == LineStatus.TooLong ? $" ({LineJudge.TooLong(reader.SkippedLength)})" : "")}: it was possibly altered (a crash tears a line only at the end of a 4 KiB page).", Line: reader.LineNumber));
            }
            if (damaged > LinesReportedPerFile)
                report(new(IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, path,
                    $"{damaged - LinesReportedPerFile} more lines are not events (only the first {LinesReportedPerFile} are reported one by one)."));
            BytesRead += length;
            var state = isActive ? VerifiedState.Of(file.SafeFileHandle, completeLength, CompletePrefix(file, completeLength, hashing, length)) : null;
            return new FileRead(length, hashing.Prefix, hashing.Whole(), state);
        }
    }

    /// <summary>The SHA-256 of the file's complete lines: all of it when it ends with a newline, else hashed again up to the last one.</summary>
    private static string CompletePrefix(FileStream file, long completeLength, PrefixDigest whole, long length) =>
        completeLength == length ? whole.Whole() : FileDigest.ComputePrefix(file.SafeFileHandle, completeLength)!;

    /// <summary>
    /// What a query reads as an event: a line with the original's header only needs to be one JSON
    /// object (as the scans check it, building nothing); any other line is parsed in full.
    /// </summary>
    private static bool IsEvent(ReadOnlySpan<byte> line) =>
        LineJudge.IsInOriginalForm(line, out _) || AuditLineParser.TryParse(line, out _, out _);
}
