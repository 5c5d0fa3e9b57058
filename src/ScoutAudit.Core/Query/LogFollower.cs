namespace ScoutAudit.Core;

/// <summary>
/// Follows a log as processes append to it and rotate it (<c>Get-ScoutAuditEvent -Wait</c>, the
/// forwarder's <c>-Wait</c>). Each read takes a snapshot of the log, as a query does, and reads
/// the lines after the last position it read: the events' ids are positions in the log's whole
/// history, the same before and after a segment is sealed and archived, so the lines a writer
/// added to the active file before it was sealed are read from the sealed segment (or its
/// archive) before the new active file, and none is read twice or missed. Between reads it waits
/// for a change (<see cref="ChangeSignal"/>) and looks at the active file's identity and size
/// before taking a snapshot, so an idle log costs a stat a second.
/// </summary>
public sealed class LogFollower : IDisposable
{
    private readonly AuditLog _log;
    private readonly EventFilter _filter;
    private ChangeSignal? _changes; // made by the first wait: a one-off read (the forwarder without -Wait) watches nothing
    private long _after;
    private FileIdentity? _activeRead;
    private (long Base, LineNumbers Numbers)? _lineNumbers;
    private bool _caughtUp;

    /// <param name="log">The log to follow.</param>
    /// <param name="filter">Which events to pass on; its <see cref="EventFilter.After"/>, when set, is where following starts.</param>
    public LogFollower(AuditLog log, EventFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _filter = filter ?? EventFilter.All;
        _after = _filter.After ?? -1;
    }

    /// <summary>Every event whose id is at or below this has been read (or was not asked for); the next read starts after it.</summary>
    public long Position => _after;

    /// <summary>
    /// Where the log's history ended at the last read: the id the next line appended gets. A
    /// position at or past it that did not come from this log's events (a checkpoint kept from a
    /// log since deleted and begun again) names events this log does not have.
    /// </summary>
    public long End { get; private set; }

    /// <summary>Whether <see cref="Follow"/> has passed on what the log held when it began, and now waits for new events.</summary>
    public bool CaughtUp => Volatile.Read(ref _caughtUp);

    /// <summary>Whether file-system notifications wake the follower (else it polls every 200 ms).</summary>
    public bool IsWatching => _changes?.IsWatching == true;

    /// <summary>
    /// The events that pass the filter, oldest first: those there are now (only the last
    /// <paramref name="last"/> of them, when given), then each new one as it is written, until
    /// <paramref name="cancellation"/> is cancelled (which ends the enumeration with <see cref="OperationCanceledException"/>)
    /// or the consumer stops.
    /// </summary>
    public IEnumerable<LogEvent> Follow(int? last = null, CancellationToken cancellation = default)
    {
        foreach (var e in ReadNew(last, cancellation)) yield return e;
        Volatile.Write(ref _caughtUp, true);
        while (true)
        {
            WaitForChange(cancellation);
            foreach (var e in ReadNew(null, cancellation)) yield return e;
        }
    }

    /// <summary>
    /// The events that pass the filter and were not read yet, oldest first; with
    /// <paramref name="last"/>, only the last that many of them. Reading them to the end moves
    /// <see cref="Position"/> to the end of the log as it was when the read began.
    /// </summary>
    public IEnumerable<LogEvent> ReadNew(int? last = null, CancellationToken cancellation = default)
    {
        using var snapshot = _log.TakeSnapshot();
        var active = ActiveFileOf(snapshot); // before reading: a segment's file is closed when it has been read
        var filter = _filter with { After = _after };
        var events = last is { } count
            ? _log.Last(snapshot, count, filter, cancellation)
            : _log.Query(snapshot, filter, LineNumbersAt(snapshot), cancellation);
        foreach (var e in events)
        {
            _after = Math.Max(_after, e.Id!.Value);
            yield return e;
        }
        _after = Math.Max(_after, snapshot.End - 1);
        End = snapshot.End;
        _activeRead = active;
    }

    /// <summary>
    /// Waits until the log's active file is another one or another size than when it was last read
    /// (a write, a rotation), checking at each file-system notification and at least every second.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public void WaitForChange(CancellationToken cancellation)
    {
        if (_changes is null)
        {
            var (directory, stem) = _log.Location;
            _changes = new ChangeSignal(directory, stem);
        }
        while (!HasChanged()) _changes.Wait(cancellation);
    }

    private bool HasChanged()
    {
        var now = NativeFile.IdentityOf(_log.Path);
        return now != _activeRead;
    }

    /// <summary>The active file of the snapshot with the length read of it, or null when it had none.</summary>
    private static FileIdentity? ActiveFileOf(LogSnapshot snapshot)
    {
        if (snapshot.Segments.Count == 0 || snapshot.Segments[^1] is not { Kind: SegmentKind.Active } active) return null;
        var file = LogSnapshot.RandomAccessOf(active)!.Value;
        return NativeFile.IdentityOf(file.File) with { Size = file.Length };
    }

    /// <summary>
    /// The line count of the file the next read starts in, kept from the last read while it is the
    /// same segment, so naming a skipped line costs the bytes written since, not the whole file.
    /// </summary>
    private LineNumbers LineNumbersAt(LogSnapshot snapshot)
    {
        var start = snapshot.Segments.LastOrDefault(s => s.Base <= _after)?.Base ?? 0;
        if (_lineNumbers is not { } kept || kept.Base != start) _lineNumbers = kept = (start, new LineNumbers());
        return kept.Numbers;
    }

    public void Dispose() => _changes?.Dispose();
}
