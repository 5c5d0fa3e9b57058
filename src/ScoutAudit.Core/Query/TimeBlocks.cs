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
    private const string Magic = "scout-time-blocks 1";
    private const int FingerprintBytes = 4096;
    private const int TailBytes = 32;

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

        var read = Read(sidecar, out var callersAlone);
        if (!callersAlone)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, sidecar,
                $"Read the whole active file: the time summaries '{sidecar}' are not yours alone to write (another user owns them, or group or others may write them), so they decide nothing and are left as they are. Delete them to let queries make their own."));
            return null;
        }
        var mayWrite = SidecarTrust.IsCallersDirectory(Path.GetDirectoryName(sidecar)!);
        var fingerprint = Fingerprint(file);
        var blocks = Load(read, fingerprint, file, length) ?? [];
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
                Save(sidecar, fingerprint, blocks, diagnostics);
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

    private static byte[] TailOf(SafeFileHandle file, long end)
    {
        var tail = new byte[TailBytes];
        return RandomAccess.Read(file, tail, end - TailBytes) == TailBytes ? tail : [];
    }

    private static string Fingerprint(SafeFileHandle file)
    {
        var start = new byte[FingerprintBytes];
        var read = RandomAccess.Read(file, start, 0);
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(start.AsSpan(0, read)));
    }

    /// <summary>
    /// The blocks a query would take from the sidecar for the file as it is, whoever wrote it, and
    /// whether it is the caller's alone to write; none when it is missing, unreadable or not about
    /// this file as it is. For Test-ScoutAuditLog, which recounts them (<see cref="SidecarCheck"/>).
    /// </summary>
    public static IReadOnlyList<TimeBlock> Described(string sidecar, SafeFileHandle file, long length, out bool callersAlone) =>
        Load(Read(sidecar, out callersAlone), Fingerprint(file), file, length) ?? [];

    /// <summary>The summaries of the sidecar read, or null when it was missing, unreadable or not about this file as it is.</summary>
    private static List<TimeBlock>? Load((string Header, TimeBlock[] Blocks)? read, string fingerprint, SafeFileHandle file, long length)
    {
        if (read is not { } sidecarText || sidecarText.Header != $"{Magic} {fingerprint}") return null;
        var blocks = new List<TimeBlock>(sidecarText.Blocks);
        if (blocks.Count > 0 && blocks[^1].End > length) return null;
        // The tails of the last block and of 32 others spread over the file: a line added, removed or
        // changed in length anywhere before them moves every tail after it, so a sample finds what
        // reading all of them would (a thousand reads cost as much as the hour's lines on a 250 MB file).
        var step = Math.Max(1, blocks.Count / 32);
        for (var i = blocks.Count - 1; i >= 0; i -= step)
        {
            if (!TailOf(file, blocks[i].End).AsSpan().SequenceEqual(blocks[i].Tail)) return null;
        }
        return blocks;
    }

    /// <summary>
    /// The sidecars read in this process, by path, with the write time and length they had: a warm
    /// session's query then reads the sidecar's state with one stat instead of parsing a line per block.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTime Written, long Length, string Header, TimeBlock[] Blocks)> Parsed = new();

    /// <summary>
    /// The sidecar's header and its blocks in order (contiguous from 0), or null when it is missing
    /// or not well formed; and whether it is the caller's alone to write, found on the handle it is
    /// read through (a missing sidecar has nothing to distrust, an unreadable one is not trusted).
    /// </summary>
    private static (string Header, TimeBlock[] Blocks)? Read(string sidecar, out bool callersAlone)
    {
        var text = new List<string>();
        DateTime written;
        long size;
        try
        {
            using var stream = SidecarFile.OpenForReading(sidecar, SidecarFile.StateLimit);
            if (stream is null)
            {
                callersAlone = true;
                return null;
            }
            callersAlone = SidecarTrust.IsCallersAlone(stream.SafeFileHandle);
            (written, size) = (File.GetLastWriteTimeUtc(stream.SafeFileHandle), stream.Length);
            if (Parsed.TryGetValue(sidecar, out var known) && known.Written == written && known.Length == size) return (known.Header, known.Blocks);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (reader.ReadLine() is { } line) text.Add(line);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            callersAlone = true;
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            callersAlone = false;
            return null;
        }
        if (text.Count == 0) return null;
        var blocks = new TimeBlock[text.Count - 1];
        long end = 0;
        for (var i = 1; i < text.Count; i++)
        {
            var block = Parse(text[i]);
            if (block is null || block.Offset != end) return null;
            blocks[i - 1] = block;
            end = block.End;
        }
        if (Parsed.Count > 64) Parsed.Clear();
        Parsed[sidecar] = (written, size, text[0], blocks);
        return (text[0], blocks);
    }

    private static TimeBlock? Parse(string entry)
    {
        var parts = entry.Split(' ');
        if (parts.Length != 7) return null;
        try
        {
            long Number(int i) => long.Parse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            var block = new TimeBlock(Number(0), Number(1), Number(2), Number(3), Number(4), parts[5] == "1", Convert.FromBase64String(parts[6]));
            return block is { Offset: >= 0, Length: >= TailBytes, Lines: >= 1 } && block.Tail.Length == TailBytes ? block : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>Replaces the sidecar as a whole (another query may be writing its own: either is right).</summary>
    private static void Save(string sidecar, string fingerprint, List<TimeBlock> blocks, IAuditDiagnostics diagnostics)
    {
        var text = new StringBuilder().Append(Magic).Append(' ').Append(fingerprint).Append('\n');
        foreach (var b in blocks)
        {
            text.Append(CultureInfo.InvariantCulture, $"{b.Offset} {b.Length} {b.Lines} {b.MinTicks} {b.MaxTicks} {(b.Clean ? 1 : 0)} {Convert.ToBase64String(b.Tail)}\n");
        }
        var temporary = $"{sidecar}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
                stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
            File.Move(temporary, sidecar, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing was made of it that a reader would take.
            }
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, sidecar,
                $"The time summaries of the active file could not be saved to '{sidecar}' ({error.Message}); the next query makes them again."));
        }
    }
}
