namespace ScoutAudit.Core;

/// <summary>
/// How far a query has read, for a progress bar: the bytes of the log's files (compressed bytes
/// for archives) it has read against the bytes it will read, and the events that passed the
/// filter so far. The reading thread updates it once per block read from a file (64 KiB), not per
/// line; any thread may read it meanwhile. One instance per query: give it in
/// <see cref="AuditLogOptions.ReadProgress"/> of the log the query runs on.
/// </summary>
public sealed class ReadProgress
{
    private long _totalBytes;
    private long _bytesRead;
    private long _eventsFound;

    /// <summary>The bytes of every file the query reads, known once it has taken its snapshot of the log; 0 before.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>The bytes read so far; equal to <see cref="TotalBytes"/> when the query has read everything.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>The events (or, for aggregates, event summaries) that passed the filter so far.</summary>
    public long EventsFound => Interlocked.Read(ref _eventsFound);

    /// <summary>The part read, from 0 to 100; 100 for a query with nothing to read once it is done.</summary>
    public int PercentComplete
    {
        get
        {
            var total = TotalBytes;
            return total <= 0 ? 0 : (int)Math.Clamp(BytesRead * 100 / total, 0, 100);
        }
    }

    internal void AddTotal(long bytes) => Interlocked.Add(ref _totalBytes, bytes);

    internal void AddRead(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    internal void AddFound() => Interlocked.Increment(ref _eventsFound);
}
