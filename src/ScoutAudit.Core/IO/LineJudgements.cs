using System.Buffers;

namespace ScoutAudit.Core;

/// <summary>What became of one line: a value, a problem to report, nothing (ruled out, blank), or the stream's damage; Offset is where the line starts in the stream read.</summary>
internal readonly record struct Judgement<T>(long LineNumber, bool Found, T Value, string? Problem, InvalidDataException? Damage = null, long Offset = 0);

/// <summary>
/// The lines of a stream judged one by one (<see cref="LineJudge"/>), in file order: on this thread,
/// or for a large file on every core.
/// </summary>
internal static class LineJudgements
{
    private const int CancellationCheckLines = 1024;

    public static IEnumerable<Judgement<T>> InOrder<T>(LineReader lines, ReadContext context, LineParser<T> parse, bool clean)
    {
        var pool = context.Pools.Take();
        try
        {
            while (true)
            {
                Judgement<T> judgement;
                try
                {
                    var offset = lines.Position;
                    var status = lines.Next(out var line);
                    if (status == LineStatus.End) yield break;
                    judgement = Judge(status, line, lines.LineNumber, lines.SkippedLength, context.Filter, pool, parse, clean) with { Offset = offset };
                }
                catch (InvalidDataException damage)
                {
                    judgement = new Judgement<T>(lines.LineNumber, false, default!, null, damage);
                }
                yield return judgement;
                if (judgement.Damage is not null) yield break;
                if (lines.LineNumber % CancellationCheckLines == 0) context.Cancellation.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            context.Pools.Return(pool);
        }
    }

    /// <summary>
    /// This thread reads and splits lines into batches, workers parse the batches, and the results
    /// come back in file order. At most <see cref="BatchesInFlight"/> batches are in memory at once,
    /// whatever the size of the file.
    /// </summary>
    public static IEnumerable<Judgement<T>> InParallel<T>(LineReader lines, ReadContext context, LineParser<T> parse, bool clean)
    {
        var cancellation = context.Cancellation;
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
                    pending.Enqueue(Task.Run(() => JudgeBatch(batch, context, parse, clean), stop.Token));
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
    private static ArraySegment<Judgement<T>> JudgeBatch<T>(LineBatch batch, ReadContext context, LineParser<T> parse, bool clean)
    {
        var pool = context.Pools.Take();
        using (batch)
        {
            var judged = ArrayPool<Judgement<T>>.Shared.Rent(batch.Count + 1);
            var count = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var entry = batch[i];
                var judgement = Judge(entry.Status, batch.Line(entry), entry.LineNumber, entry.SkippedLength, context.Filter, pool, parse, clean) with { Offset = entry.Position };
                if (judgement.Found || judgement.Problem is not null) judged[count++] = judgement;
            }
            if (batch.Damage is { } damage)
                judged[count++] = new Judgement<T>(batch.Count > 0 ? batch[batch.Count - 1].LineNumber : 0, false, default!, null, damage);
            context.Pools.Return(pool);
            return new ArraySegment<Judgement<T>>(judged, 0, count);
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
}
