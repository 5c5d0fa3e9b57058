using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// The sidecar <c>&lt;active&gt;.blocks</c> that keeps the <see cref="TimeBlocks"/> of the active file:
/// a header naming the file by its first bytes, then a line per block (offset, length, lines,
/// earliest and latest ticks, clean, tail). Read through a handle whose owner and mode say whether
/// it is the caller's alone; replaced as a whole, owner-only; parsed once per change in a process.
/// </summary>
internal static class TimeBlocksFile
{
    private const string Magic = "scout-time-blocks 1";
    private const int FingerprintBytes = 4096;

    /// <summary>What names the file a sidecar is about: the SHA-256 of its first bytes, which a rotation changes.</summary>
    public static string Fingerprint(SafeFileHandle file)
    {
        var start = new byte[FingerprintBytes];
        var read = RandomAccess.Read(file, start, 0);
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(start.AsSpan(0, read)));
    }

    /// <summary>The summaries of the sidecar read, or null when it was missing, unreadable or not about this file as it is.</summary>
    public static List<TimeBlock>? Load((string Header, TimeBlock[] Blocks)? read, string fingerprint, SafeFileHandle file, long length)
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
            if (!TimeBlocks.TailOf(file, blocks[i].End).AsSpan().SequenceEqual(blocks[i].Tail)) return null;
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
    public static (string Header, TimeBlock[] Blocks)? Read(string sidecar, out bool callersAlone)
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
            return block is { Offset: >= 0, Length: >= TimeBlocks.TailBytes, Lines: >= 1 } && block.Tail.Length == TimeBlocks.TailBytes ? block : null;
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
    public static void Save(string sidecar, string fingerprint, List<TimeBlock> blocks, IAuditDiagnostics diagnostics)
    {
        var text = new StringBuilder().Append(Magic).Append(' ').Append(fingerprint).Append('\n');
        foreach (var b in blocks)
        {
            text.Append(CultureInfo.InvariantCulture, $"{b.Offset} {b.Length} {b.Lines} {b.MinTicks} {b.MaxTicks} {(b.Clean ? 1 : 0)} {Convert.ToBase64String(b.Tail)}\n");
        }
        try
        {
            AtomicFile.Replace(sidecar, Encoding.ASCII.GetBytes(text.ToString()), durable: false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, sidecar,
                $"The time summaries of the active file could not be saved to '{sidecar}' ({error.Message}); the next query makes them again."));
        }
    }
}
