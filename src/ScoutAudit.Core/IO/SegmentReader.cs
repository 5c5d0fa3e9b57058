using System.Buffers;

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
    public static IEnumerable<AuditEvent> Read(Segment segment, EventFilter filter, IAuditDiagnostics diagnostics, StringPools pools, ReadProgress? progress, CancellationToken cancellation) =>
        Read<AuditEvent>(segment, filter, diagnostics, pools, progress, cancellation, ParseEvent, filter.Matches, OddValues.OfEvent, parallel: true, PlaceEvent);

    /// <summary>Gives an event its id: its line's position in the log's history.</summary>
    private static void PlaceEvent(AuditEvent e, long position) => e.Id = position;

    /// <summary>
    /// What aggregates need of each event of the segment that passes the filter. Read on one thread:
    /// summaries are cheap, and aggregates promise a small memory footprint more than speed.
    /// Negative costs are reported when <paramref name="sumsCost"/> (spend).
    /// </summary>
    public static IEnumerable<EventSummary> Summaries(Segment segment, EventFilter filter, IAuditDiagnostics diagnostics, StringPools pools, ReadProgress? progress, CancellationToken cancellation, bool sumsCost) =>
        Read<EventSummary>(segment, filter, diagnostics, pools, progress, cancellation, AuditLineParser.TrySummarize, filter.Matches,
            sumsCost ? OddValues.OfSummedSummary : OddValues.OfSummary, parallel: false, place: null);

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

    private static bool ParseEvent(ReadOnlySpan<byte> line, StringPool pool, out AuditEvent value, out string? problem)
    {
        var parsed = AuditLineParser.TryParse(line, pool, out var e, out problem);
        value = e!;
        return parsed;
    }

    private static IEnumerable<T> Read<T>(Segment segment, EventFilter filter, IAuditDiagnostics diagnostics, StringPools pools, ReadProgress? progress,
        CancellationToken cancellation, LineParser<T> parse, Func<T, bool> matches, Action<T, string, long, IAuditDiagnostics> reportOddValues, bool parallel,
        Action<T, long>? place)
    {
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
                        foreach (var value in Read(segment, new LineReader(part, firstLineNumber: range.FirstLine), part, filter, diagnostics, pools, cancellation, parse, matches, reportOddValues, parallel, damage, range.Clean,
                                     place, segment.Base + range.Offset))
                            yield return value;
                    }
                }
                yield break;
            }
            var lines = new LineReader(stream);
            foreach (var value in Read(segment, lines, stream, filter, diagnostics, pools, cancellation, parse, matches, reportOddValues, parallel, damage, clean: false,
                         place, segment.Base))
                yield return value;
            if (segment.Kind == SegmentKind.Archive && !damage.Found && !GzipIntegrity.TrailerMatches(segment.Path, lines.BytesRead))
                Damaged(diagnostics, segment.Path, lines.LineNumber, "the archive is truncated (its gzip trailer does not match what could be read)", null);
        }
    }

    private static IEnumerable<T> Read<T>(Segment segment, LineReader lines, Stream stream, EventFilter filter, IAuditDiagnostics diagnostics, StringPools pools,
        CancellationToken cancellation, LineParser<T> parse, Func<T, bool> matches, Action<T, string, long, IAuditDiagnostics> reportOddValues, bool parallel,
        DamageFound damageFound, bool clean, Action<T, long>? place, long positionBase)
    {
        var judged = parallel && IsLarge(segment, stream)
            ? JudgeInParallel(lines, filter, parse, pools, clean, cancellation)
            : JudgeInOrder(lines, filter, parse, pools, clean, cancellation);
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
                place?.Invoke(judgement.Value, positionBase + judgement.Offset); // before matching: -After filters on it
                if (!matches(judgement.Value)) continue;
                reportOddValues(judgement.Value, segment.Path, judgement.LineNumber, diagnostics);
                yield return judgement.Value;
            }
        }
    }

    /// <summary>Whether the stream was found damaged (reported once: the rest of the file is not read, nor its trailer checked).</summary>
    private sealed class DamageFound
    {
        public bool Found { get; set; }
    }

    /// <summary>What became of one line: a value, a problem to report, nothing (ruled out, blank), or the stream's damage; Offset is where the line starts in the stream read.</summary>
    private readonly record struct Judgement<T>(long LineNumber, bool Found, T Value, string? Problem, InvalidDataException? Damage = null, long Offset = 0);

    private static IEnumerable<Judgement<T>> JudgeInOrder<T>(LineReader lines, EventFilter filter, LineParser<T> parse, StringPools pools, bool clean, CancellationToken cancellation)
    {
        var pool = pools.Take();
        try
        {
            while (true)
            {
                Judgement<T> judgement;
                try
                {
                    judgement = JudgeNext(lines, filter, pool, parse, clean, out var status);
                    if (status == LineStatus.End) yield break;
                }
                catch (InvalidDataException damage)
                {
                    judgement = new Judgement<T>(lines.LineNumber, false, default!, null, damage);
                }
                yield return judgement;
                if (judgement.Damage is not null) yield break;
                if (lines.LineNumber % CancellationCheckLines == 0) cancellation.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            pools.Return(pool);
        }
    }

    private static Judgement<T> JudgeNext<T>(LineReader lines, EventFilter filter, StringPool pool, LineParser<T> parse, bool clean, out LineStatus status)
    {
        var offset = lines.Position;
        status = lines.Next(out var line);
        return status == LineStatus.End ? default : Judge(status, line, lines.LineNumber, lines.SkippedLength, filter, pool, parse, clean) with { Offset = offset };
    }

    /// <summary>
    /// Large segments are parsed on every core: this thread reads and splits lines into batches,
    /// workers parse the batches, and the results come back in file order. At most
    /// <see cref="BatchesInFlight"/> batches are in memory at once, whatever the size of the file.
    /// </summary>
    private static IEnumerable<Judgement<T>> JudgeInParallel<T>(LineReader lines, EventFilter filter, LineParser<T> parse, StringPools pools, bool clean, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pending = new Queue<Task<ArraySegment<Judgement<T>>>>();
        var finished = false;
        try
        {
            while (!finished || pending.Count > 0)
            {
                while (!finished && pending.Count < BatchesInFlight)
                {
                    var batch = NextBatch(lines, out finished);
                    if (batch is null) break;
                    pending.Enqueue(Task.Run(() => JudgeBatch(batch, filter, parse, pools, clean), stop.Token));
                }
                if (pending.Count == 0) break;
                var judged = pending.Dequeue().GetAwaiter().GetResult();
                foreach (var judgement in judged) yield return judgement;
                judged.AsSpan().Clear(); // let go of the events (only this part of the array was used)
                ArrayPool<Judgement<T>>.Shared.Return(judged.Array!);
                cancellation.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            stop.Cancel(); // an early stop (Select-Object -First) abandons the batches still queued
        }
    }

    private static int BatchesInFlight => Math.Clamp(Environment.ProcessorCount * 2, 2, 8);

    private static LineBatch? NextBatch(LineReader lines, out bool finished)
    {
        finished = false;
        var batch = new LineBatch();
        try
        {
            while (!batch.IsFull)
            {
                var position = lines.Position;
                var status = lines.Next(out var line);
                if (status == LineStatus.End)
                {
                    finished = true;
                    break;
                }
                batch.Add(status, lines.LineNumber, lines.SkippedLength, position, line);
            }
        }
        catch (InvalidDataException damage)
        {
            batch.Damage = damage;
            finished = true;
        }
        if (batch.Count > 0 || batch.Damage is not null) return batch;
        batch.Dispose();
        return null;
    }

    /// <summary>
    /// The judgements worth passing on (values and problems), in an array from the shared pool:
    /// the consumer returns it. Arrays that big would otherwise be copied by every collection
    /// they survive while they wait their turn.
    /// </summary>
    private static ArraySegment<Judgement<T>> JudgeBatch<T>(LineBatch batch, EventFilter filter, LineParser<T> parse, StringPools pools, bool clean)
    {
        var pool = pools.Take();
        using (batch)
        {
            var judged = ArrayPool<Judgement<T>>.Shared.Rent(batch.Count + 1);
            var count = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var entry = batch[i];
                var judgement = Judge(entry.Status, batch.Line(entry), entry.LineNumber, entry.SkippedLength, filter, pool, parse, clean) with { Offset = entry.Position };
                if (judgement.Found || judgement.Problem is not null) judged[count++] = judgement;
            }
            if (batch.Damage is { } damage)
                judged[count++] = new Judgement<T>(batch.Count > 0 ? batch[batch.Count - 1].LineNumber : 0, false, default!, null, damage);
            pools.Return(pool);
            return new ArraySegment<Judgement<T>>(judged, 0, count);
        }
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

    /// <summary>
    /// Judges one line; thread-safe when each thread has its own <paramref name="pool"/>. In a
    /// <paramref name="clean"/> part of a file (TimeBlocks found every line of it an event with the
    /// original's header) a line ruled out by its header needs no check for damage: it has none.
    /// </summary>
    private static Judgement<T> Judge<T>(LineStatus status, ReadOnlySpan<byte> line, long lineNumber, long skippedLength,
        EventFilter filter, StringPool pool, LineParser<T> parse, bool clean)
    {
        if (status == LineStatus.TooLong) return new(lineNumber, false, default!, LineJudge.TooLong(skippedLength));
        if (LineJudge.IsBlank(line)) return default;
        if (LineHeader.TryRead(line, out var timestamp, out var eventType) && !filter.MayMatch(timestamp, eventType))
        {
            // Ruled out by its time or type: only checked for damage, which is still reported.
            if (clean) return default;
            if (LineJudge.IsWellFormedAfterHeader(line)) return default;
        }
        if (parse(line, pool, out var value, out var problem)) return new(lineNumber, true, value, null);
        return new(lineNumber, false, default!, LineJudge.NotAnEvent(status, problem!));
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
