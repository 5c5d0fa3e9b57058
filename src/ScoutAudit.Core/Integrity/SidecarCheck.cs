namespace ScoutAudit.Core;

/// <summary>
/// Recomputes from the log's bytes what queries take from its sidecars, for Test-ScoutAuditLog, and
/// reports each sidecar that says otherwise as <see cref="IntegrityFindingKind.SidecarInconsistent"/>:
/// the hint of the archive index a query would describe an archive outside the chain by (its
/// latest, while its size is the archive's), recounted from the archive; every hint of an archive
/// in the chain that differs from the chained entry; and every block of the active file's time
/// summaries that a query would take, recounted from the active file. It checks them whoever wrote
/// them: an auditor learns what the owner's queries would use. Nothing is changed.
/// </summary>
internal sealed class SidecarCheck(LogFiles files, Action<IntegrityFinding> report, CancellationToken cancellation)
{
    private const string NotUsedByYourQueries = "Your queries take nothing from it, as others than you may write it: answers do not depend on it.";

    public void Run()
    {
        CheckIndexHints();
        CheckTimeBlocks();
    }

    private void CheckIndexHints()
    {
        var lines = ArchiveIndex.ReadLines(files, out var callersAlone);
        var described = ArchiveIndex.Describing(lines, trustHints: true);
        foreach (var hint in lines.Where(l => l.Kind == IndexLineKind.Hint))
        {
            if (described.TryGetValue(hint.Archive!, out var entry) && entry.IsChained && !SaysTheSame(hint.Info!, entry.Info!))
                report(new(IntegrityFindingKind.SidecarInconsistent, IntegritySeverity.Warning, files.Index,
                    $"Line {hint.Number} of the archive index, a hint for the archive '{hint.Archive}', says other than the archive's chained entry {entry.Sequence} (line {entry.Number}), which vouches for its bytes. Queries describe an archive in the chain by its chained entry alone, so answers do not depend on it.",
                    Expected: $"{Describe(entry.Info!)} (entry {entry.Sequence})", Actual: $"{Describe(hint.Info!)} (the hint)",
                    Entry: entry.Sequence, Line: hint.Number));
        }
        foreach (var hint in described.Values.Where(l => l.Kind == IndexLineKind.Hint))
        {
            cancellation.ThrowIfCancellationRequested();
            CheckHintOfUnchainedArchive(hint, callersAlone);
        }
    }

    /// <summary>Recounts the archive a hint describes, when a query would take the hint: the archive is there, of the size the hint records.</summary>
    private void CheckHintOfUnchainedArchive(IndexLine hint, bool callersAlone)
    {
        var said = hint.Info!;
        ArchiveDescription bytes;
        try
        {
            if (new FileInfo(said.Path) is not { Exists: true } archive || archive.Length != said.CompressedBytes) return; // queries read it whole
            bytes = ArchiveWriter.DescribeArchive(said.Path, cancellation);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return; // the archive's own check reports it unreadable or damaged
        }
        if (SaysTheSame(said, bytes)) return;
        report(new(IntegrityFindingKind.SidecarInconsistent, IntegritySeverity.Warning, files.Index,
            $"Line {hint.Number} of the archive index, a hint for the archive '{hint.Archive}' (outside the chain), says other than the archive's bytes. " +
            (callersAlone
                ? "Your queries take it, as the index is yours alone to write, and a time window may skip the archive for it. Remove that line (hints are outside the chain: nothing else changes); the next query that reads the archive describes it anew."
                : NotUsedByYourQueries),
            Expected: $"{Describe(bytes)} (the archive's bytes)", Actual: $"{Describe(said)} (the hint)", Line: hint.Number));
    }

    /// <summary>Whether a description says the same as <paramref name="truth"/> in what it states (an older hint may leave out lines and bytes).</summary>
    private static bool SaysTheSame(ArchiveDescription said, ArchiveDescription truth) =>
        Time(said.FirstTimestamp) == Time(truth.FirstTimestamp) && Time(said.LastTimestamp) == Time(truth.LastTimestamp)
        && said.CompressedBytes == truth.CompressedBytes
        && (said.Lines is null || said.Lines == truth.Lines)
        && (said.UncompressedBytes is null || said.UncompressedBytes == truth.UncompressedBytes);

    private static string Describe(ArchiveDescription info) =>
        $"events from {Time(info.FirstTimestamp)} to {Time(info.LastTimestamp)}, {info.Lines?.ToString() ?? "?"} lines, " +
        $"{info.UncompressedBytes?.ToString() ?? "?"} bytes, {info.CompressedBytes} compressed";

    /// <summary>As the index writes it (milliseconds): an event's extra precision is no disagreement.</summary>
    private static string Time(DateTimeOffset? time) => time is { } t ? UtcTimestamp.Format(t) : "(none)";

    private void CheckTimeBlocks()
    {
        using var active = TryOpen(files.Active);
        if (active is null) return;
        var file = active.SafeFileHandle;
        var blocks = TimeBlocks.Described(files.TimeBlocks, file, RandomAccess.GetLength(file), out var callersAlone);
        for (var i = 0; i < blocks.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var said = blocks[i];
            var bytes = TimeBlocks.Summarise(file, said.Offset, said.Length, cancellation);
            if (said.SaysTheSameAs(bytes)) continue;
            var line = i + 2; // after the header
            report(new(IntegrityFindingKind.SidecarInconsistent, IntegritySeverity.Warning, files.TimeBlocks,
                $"Block {i + 1} of the active file's time summaries (line {line}), bytes {said.Offset} to {said.End} of '{files.Active}', says other than those bytes. " +
                (callersAlone
                    ? "Your queries take it, as the file is yours alone to write, and a time window may miss the events of that block. Delete it; the next query makes it anew from the active file."
                    : NotUsedByYourQueries),
                Expected: $"{Describe(bytes)} (the active file's bytes)", Actual: $"{Describe(said)} (the summary)", Line: line));
        }
    }

    private static string Describe(TimeBlock block) =>
        $"{block.Lines} lines, " +
        (block.MinTicks > block.MaxTicks ? "no event time" : $"events from {Time(block.MinTicks)} to {Time(block.MaxTicks)}") +
        (block.Clean ? ", every line an event with the original's header" : ", some line that a full read reports");

    /// <summary>A summary's ticks as a time, or as the number it is when no time can be that.</summary>
    private static string Time(long ticks) =>
        ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks ? UtcTimestamp.Format(new DateTimeOffset(ticks, TimeSpan.Zero)) : $"{ticks} ticks";

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return FileSafety.OpenRegularForReading(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null; // missing, or reported unreadable by the check of its lines
        }
    }
}
