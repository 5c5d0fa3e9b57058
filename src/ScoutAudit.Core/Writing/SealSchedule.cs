namespace ScoutAudit.Core;

/// <summary>
/// When the writer seals the active file: once it reaches <see cref="AuditLogOptions.RotationSize"/>,
/// or once the <see cref="AuditLogOptions.RotationInterval"/> of its oldest line has ended, at the
/// next append or, for an idle file, by a timer; and not for a back-off after a seal failed or was
/// deferred, whose report is said once for as long as the same processes hold the file.
/// <para>
/// No lock of its own: every member is called under the writer's write lock, which guards
/// <c>_intervalEndsAt</c>, <c>_pausedUntil</c> and <c>_deferredBy</c>; the interval timer's
/// callback takes that lock first.
/// </para>
/// </summary>
internal sealed class SealSchedule : IDisposable
{
    private static readonly TimeSpan BackOff = TimeSpan.FromMinutes(1);

    private readonly string _path;
    private readonly long? _rotationSize;
    private readonly RotationInterval _interval;
    private readonly TimeProvider _time;
    private readonly IAuditDiagnostics _diagnostics;
    private readonly ITimer? _intervalEnd;

    /// <summary>With a rotation interval: when the interval of the active file's oldest line ends (null: the file holds no line yet).</summary>
    private DateTimeOffset? _intervalEndsAt;

    private DateTimeOffset _pausedUntil;

    /// <summary>The processes (ids) a seal last waited for, so that the warning is said once while they hold the file.</summary>
    private string? _deferredBy;

    /// <summary>
    /// <paramref name="onIntervalEnd"/> is the interval timer's callback (with a rotation interval
    /// only): it takes the writer's write lock and asks <see cref="IntervalSealIsDue"/>.
    /// </summary>
    public SealSchedule(string path, AuditLogOptions options, Action onIntervalEnd)
    {
        _path = path;
        _rotationSize = options.RotationSize;
        _interval = options.RotationInterval;
        _time = options.Time;
        _diagnostics = options.Diagnostics;
        if (_interval != RotationInterval.None)
            _intervalEnd = _time.CreateTimer(_ => onIntervalEnd(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether the active file, <paramref name="activeSize"/> bytes long, is to be sealed before the next line.</summary>
    public bool IsDue(long activeSize) =>
        ((_rotationSize is { } limit && activeSize >= limit) || IntervalIsOver(activeSize)) && _time.GetUtcNow() >= _pausedUntil;

    /// <summary>Whether the interval timer is to seal the active file now.</summary>
    public bool IntervalSealIsDue(long activeSize) => IntervalIsOver(activeSize) && _time.GetUtcNow() >= _pausedUntil;

    /// <summary>
    /// The size the seal checks again under the append lock, where another writer may have sealed
    /// first; null when the interval ended, which seals whatever the size.
    /// </summary>
    public long? SealAtLeast(long activeSize) => IntervalIsOver(activeSize) ? null : _rotationSize;

    /// <summary>A line was written to the active file: the first one starts its interval.</summary>
    public void LineWritten()
    {
        if (_intervalEnd is not null && _intervalEndsAt is null) StartInterval(_time.GetUtcNow());
    }

    /// <summary>The writer (re)opened the active file: its interval is that of its oldest line.</summary>
    public void FileOpened(AppendOnlyFile file)
    {
        if (_intervalEnd is null) return;
        _intervalEndsAt = null;
        if (file.Identity.Size > 0) StartInterval(OldestLineTime(file));
    }

    /// <summary>The timer sealed the file: the next lease finds the new active file and starts its interval.</summary>
    public void IntervalSealed() => _intervalEndsAt = null;

    public void Sealed() => _deferredBy = null;

    /// <summary>A seal waited for writers of other tools: looked for again after the back-off; said once for as long as the same processes hold the file.</summary>
    public void Deferred(SealDeferredException deferred)
    {
        _pausedUntil = _time.GetUtcNow() + BackOff;
        var holders = string.Join(",", deferred.Writers.Select(w => w.ProcessId));
        if (holders == _deferredBy) return;
        _deferredBy = holders;
        _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, _path, deferred.Message, Exception: deferred));
    }

    /// <summary>A seal failed: reported, and tried again after the back-off; the file goes on growing.</summary>
    public void Failed(Exception error)
    {
        _pausedUntil = _time.GetUtcNow() + BackOff;
        _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, _path,
            $"'{_path}' could not be rotated; it goes on growing, and rotation is tried again in {BackOff.TotalMinutes:0} minute(s): {error.Message}", Exception: error));
    }

    public void Dispose() => _intervalEnd?.Dispose();

    private bool IntervalIsOver(long activeSize) => activeSize > 0 && _intervalEndsAt is { } end && _time.GetUtcNow() >= end;

    /// <summary>Starts the interval of the active file's oldest line, and arms the timer that seals it when it ends.</summary>
    private void StartInterval(DateTimeOffset oldest)
    {
        var end = _interval.Next(oldest);
        _intervalEndsAt = end;
        var due = end - _time.GetUtcNow();
        _intervalEnd!.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The time of the file's first line, or now when it has none that reads in its first 4 KiB (called with a file just opened).</summary>
    private DateTimeOffset OldestLineTime(AppendOnlyFile file)
    {
        var start = new byte[4096];
        var read = file.ReadAt(start, 0);
        var end = start.AsSpan(0, read).IndexOf((byte)'\n');
        // Any JSON form the original reads (another tool may have written the first line), not only its own header.
        return end > 0 && AuditLineParser.TryParse(start.AsSpan(0, end), out var first, out _) ? first!.Timestamp : _time.GetUtcNow();
    }
}
