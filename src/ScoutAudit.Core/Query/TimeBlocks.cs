using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// Bytes [Offset, Offset + Length) of a file that a query reads; its first line is line <see cref="FirstLine"/>
/// of the file. <see cref="Clean"/>: every line of it is known to be an event with the original's header.
/// </summary>
internal readonly record struct ReadRange(long Offset, long Length, long FirstLine, bool Clean = false);

/// <summary>
/// The earliest and latest time of each block (about 256 KiB of whole lines) of the active file, so
/// that a query with a time window reads only the blocks that can hold events of the window, and
/// the lines written since the last summary. The summaries are kept beside the log in
/// <c>&lt;active&gt;.blocks</c> and extended by the queries that find new blocks, so each block is
/// summarised once. A block with any line a full scan would report (not an event, too long,
/// written by another tool without the original's header) is never skipped, so the reports are
/// those of a full scan; lines out of time order (several writers' clocks) only widen a block's span.
/// <para>
/// The summaries are a hint, like the archive index: they are used only while the file starts with
/// the bytes it started with when they were made (a rotation starts a new file) and the last
/// summarised block and a sample of the others still end with the bytes they ended with; otherwise
/// they are made anew. A sidecar that
/// cannot be written (a read-only directory) costs speed, never an answer.
/// </para>
/// <para>
/// Nothing signs the sidecar, and a block's false time range would hide its events from a window;
/// so it is used only while it is the caller's alone to write (<see cref="SidecarTrust"/>), and left
/// as it is otherwise, the whole file being read; and a query makes one only in a directory the
/// caller owns. Test-ScoutAuditLog recounts every block (<see cref="SidecarCheck"/>).
/// </para>
/// </summary>
internal static class TimeBlocks
{
    /// <summary>
    /// The block size: smaller blocks read fewer lines outside the window, more blocks cost more to
    /// check (a line of the sidecar and a 32-byte read each). Measured on a 295 MB file, the last
    /// hour of 30 days with an event type no line has, the two sizes alternated 40 times in one
    /// process, twice: medians 11.4 and 8.0 ms for 256 KiB against 13.3 and 12.0 ms for 1 MiB (the
    /// minimums overlap: a small gain, within this machine's noise); 64 KiB took 25 ms.
    /// </summary>
    public const int DefaultBlockBytes = 256 * 1024;
    public const int TailBytes = 32;

    /// <summary>
    /// The parts of the file a query of <paramref name="filter"/>'s time window must read, in file
    /// order, each saying whether it is clean (then a line its header rules out needs no check for
    /// damage: an event type filter gains from the summaries too, without a window); null when it
    /// should read the whole file as it is (nothing to rule out by a line's header, or a small file).
    /// </summary>
    public static IReadOnlyList<ReadRange>? Plan(string sidecar, SafeFileHandle file, long length, EventFilter filter, int blockBytes,
        IAuditDiagnostics diagnostics, CancellationToken cancellation)
    {
        if (!filter.RulesOutByHeader) return null;
        if (blockBytes <= 0 || length < 2L * blockBytes) return null;

        var read = TimeBlocksFile.Read(sidecar, out var callersAlone);
        if (!callersAlone)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, sidecar,
                $"Read the whole active file: the time summaries '{sidecar}' are not yours alone to write (another user owns them, or group or others may write them), so they decide nothing and are left as they are. Delete them to let queries make their own."));
            return null;
        }
        var mayWrite = SidecarTrust.IsCallersDirectory(Path.GetDirectoryName(sidecar)!);
        var fingerprint = TimeBlocksFile.Fingerprint(file);
        var blocks = TimeBlocksFile.Load(read, fingerprint, file, length) ?? [];
        var covered = blocks.Count == 0 ? 0 : blocks[^1].End;
        if (blocks.Count == 0 && !mayWrite)
        {
            // Summaries that could not be kept would cost a read of the whole file for one query.
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, sidecar,
                $"Read the whole active file: its directory is not yours, so a query makes no time summaries ('{sidecar}') there."));
            return null;
        }
        if (mayWrite && length - covered >= blockBytes)
        {
            var added = Summarise(file, covered, length, blockBytes, cancellation);
            if (added.Count > 0)
            {
                blocks.AddRange(added);
                covered = blocks[^1].End;
                TimeBlocksFile.Save(sidecar, fingerprint, blocks, diagnostics);
            }
        }

        var since = filter.Since?.UtcTicks ?? long.MinValue;
        var until = filter.Until?.UtcTicks ?? long.MaxValue;
        var ranges = new List<ReadRange>();
        long line = 1, skipped = 0;
        foreach (var block in blocks)
        {
            if (block.IsNeeded(since, until)) Add(ranges, block.Offset, block.Length, line, block.Clean);
            else skipped++;
            line += block.Lines;
        }
        if (covered < length) Add(ranges, covered, length - covered, line, clean: false);
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, sidecar,
            $"Skipped {skipped} of {blocks.Count} blocks of the active file: their lines hold no event of the time window; {ranges.Count(r => r.Clean)} of the {ranges.Count} parts read are clean."));
        return ranges;
    }

    private static void Add(List<ReadRange> ranges, long offset, long length, long firstLine, bool clean)
    {
        if (ranges.Count > 0 && ranges[^1] is var last && last.Offset + last.Length == offset && last.Clean == clean)
            ranges[^1] = last with { Length = last.Length + length };
        else
            ranges.Add(new ReadRange(offset, length, firstLine, clean));
    }

    /// <summary>Summaries of the whole blocks from <paramref name="start"/> (a line start) to <paramref name="length"/>.</summary>
    private static List<TimeBlock> Summarise(SafeFileHandle file, long start, long length, int blockBytes, CancellationToken cancellation)
    {
        var blocks = new List<TimeBlock>();
        var lines = new LineReader(new FileRangeStream(file, start, length - start));
        long blockStart = 0;
        var summary = Summary.Empty;
        while (true)
        {
            var status = lines.Next(out var line);
            if (status is LineStatus.End or LineStatus.Unterminated) break; // an unterminated end is left for the reads
            summary.Add(status, line);
            if (lines.Position - blockStart < blockBytes) continue;
            var offset = start + blockStart;
            var blockLength = lines.Position - blockStart;
            blocks.Add(summary.Of(offset, blockLength, TailOf(file, offset + blockLength)));
            blockStart = lines.Position;
            summary = Summary.Empty;
            cancellation.ThrowIfCancellationRequested();
        }
        return blocks;
    }

    /// <summary>
    /// The summary of the lines in [<paramref name="offset"/>, <paramref name="offset"/> +
    /// <paramref name="length"/>) as a query makes it, for checking a summary against the bytes; a
    /// last line not ended there counts, and makes the block unclean (no summary ends so).
    /// </summary>
    public static TimeBlock Summarise(SafeFileHandle file, long offset, long length, CancellationToken cancellation)
    {
        var lines = new LineReader(new FileRangeStream(file, offset, length));
        var summary = Summary.Empty;
        while (true)
        {
            var status = lines.Next(out var line);
            if (status == LineStatus.End) break;
            summary.Add(status, line);
            if (lines.LineNumber % 4096 == 0) cancellation.ThrowIfCancellationRequested();
        }
        return summary.Of(offset, length, TailOf(file, offset + length));
    }

    /// <summary>A block's summary while its lines are read.</summary>
    private struct Summary
    {
        private long _lines, _min, _max;
        private bool _unclean;

        public static Summary Empty => new() { _min = long.MaxValue, _max = long.MinValue };

        public void Add(LineStatus status, ReadOnlySpan<byte> line)
        {
            _lines++;
            if (status is LineStatus.TooLong or LineStatus.Unterminated) _unclean = true;
            else if (!LineJudge.IsBlank(line))
            {
                if (LineJudge.IsInOriginalForm(line, out var timestamp))
                {
                    _min = Math.Min(_min, timestamp.UtcTicks);
                    _max = Math.Max(_max, timestamp.UtcTicks);
                }
                else
                {
                    _unclean = true;
                }
            }
        }

        public readonly TimeBlock Of(long offset, long length, byte[] tail) => new(offset, length, _lines, _min, _max, !_unclean, tail);
    }

    /// <summary>The last <see cref="TailBytes"/> bytes before <paramref name="end"/>: what tells a block still ends where it ended.</summary>
    public static byte[] TailOf(SafeFileHandle file, long end)
    {
        var tail = new byte[TailBytes];
        return RandomAccess.Read(file, tail, end - TailBytes) == TailBytes ? tail : [];
    }

    /// <summary>
    /// The blocks a query would take from the sidecar for the file as it is, whoever wrote it, and
    /// whether it is the caller's alone to write; none when it is missing, unreadable or not about
    /// this file as it is. For Test-ScoutAuditLog, which recounts them (<see cref="SidecarCheck"/>).
    /// </summary>
    public static IReadOnlyList<TimeBlock> Described(string sidecar, SafeFileHandle file, long length, out bool callersAlone) =>
        TimeBlocksFile.Load(TimeBlocksFile.Read(sidecar, out callersAlone), TimeBlocksFile.Fingerprint(file), file, length) ?? [];
}
