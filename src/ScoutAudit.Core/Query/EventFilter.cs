namespace ScoutAudit.Core;

/// <summary>
/// Which events a query or aggregate looks at. Times are instants: <see cref="Since"/> is
/// inclusive, <see cref="Until"/> exclusive. Each list, when given, keeps the events whose field
/// equals one of its entries (ordinal, as the original compares); each test, when given, keeps
/// the events whose field passes it (the cmdlets pass PowerShell's wildcard matching).
/// </summary>
public sealed record EventFilter
{
    private readonly DateTimeOffset? _since;
    private readonly DateTimeOffset? _until;

    /// <summary>Every event.</summary>
    public static EventFilter All { get; } = new();

    public DateTimeOffset? Since
    {
        get => _since;
        init
        {
            _since = value;
            CheckOrder(value, _until);
        }
    }

    public DateTimeOffset? Until
    {
        get => _until;
        init
        {
            _until = value;
            CheckOrder(_since, value);
        }
    }

    public IReadOnlyCollection<string>? EventTypes { get; init; }

    public IReadOnlyCollection<string>? SessionIds { get; init; }

    /// <summary>Only events whose <see cref="LogEvent.Id"/> is greater: a query resumes after the last event it saw.</summary>
    public long? After { get; init; }

    /// <summary>Whether a segment whose events have ids below <paramref name="end"/> holds none after <see cref="After"/>.</summary>
    internal bool EndsBeforeAfter(long? end) => After is { } after && end is { } e && e - 1 <= after;

    public IReadOnlyCollection<string>? Models { get; init; }

    /// <summary>Keeps the events whose type passes this test, when given. It may be called from several threads at once.</summary>
    public Func<string, bool>? EventTypeTest
    {
        get => _eventTypeTest;
        init
        {
            _eventTypeTest = value;
            _eventTypeVerdicts = [];
        }
    }

    /// <summary>Keeps the events that have a model and whose model passes this test, when given.</summary>
    public Func<string, bool>? ModelTest { get; init; }

    /// <summary>Keeps the events whose session id passes this test, when given (as -SessionId's wildcards test it).</summary>
    public Func<string, bool>? SessionIdTest { get; init; }

    private readonly Func<string, bool>? _eventTypeTest;

    /// <summary>
    /// The original's <c>hourly_spend(hours)</c> window: from the start of the UTC hour
    /// <paramref name="hours"/> before the current one, open-ended. <c>LastHours(1)</c> at 14:35
    /// starts at 13:00.
    /// </summary>
    public static EventFilter LastHours(int hours, TimeProvider time)
    {
        if (hours < 1)
            throw new ArgumentOutOfRangeException(nameof(hours), hours, $"Hours must be 1 or more; got {hours}.");
        var now = time.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        return new EventFilter { Since = hourStart.AddHours(-hours) };
    }

    /// <summary>Whether <see cref="MayMatch"/> can rule lines out: a time window or an event type test.</summary>
    internal bool RulesOutByHeader => _since is not null || _until is not null || _eventTypeTest is not null || EventTypes is not null;

    /// <summary>
    /// False when a line with this time and event type (UTF-8) cannot pass, whatever else it holds:
    /// the cheap test a query makes before parsing a line.
    /// </summary>
    internal bool MayMatch(DateTimeOffset timestamp, ReadOnlySpan<byte> eventType)
    {
        if ((_since is not null && timestamp < _since) || (_until is not null && timestamp >= _until)) return false;
        if (_eventTypeTest is not null && !PassesEventTypeTest(eventType)) return false;
        if (EventTypes is null) return true;
        foreach (var candidate in EventTypesUtf8)
        {
            if (eventType.SequenceEqual(candidate)) return true;
        }
        return false;
    }

    /// <summary>
    /// The event type test on a line's UTF-8 bytes. A log holds a few dozen types at most, so each
    /// type's verdict is kept (copy on write: scanning threads read without a lock) and a line
    /// costs a byte comparison, not a string and a wildcard match.
    /// </summary>
    private bool PassesEventTypeTest(ReadOnlySpan<byte> eventType)
    {
        var verdicts = Volatile.Read(ref _eventTypeVerdicts);
        foreach (var verdict in verdicts)
        {
            if (eventType.SequenceEqual(verdict.Utf8)) return verdict.Passes;
        }
        var passes = _eventTypeTest!(System.Text.Encoding.UTF8.GetString(eventType));
        if (verdicts.Length < MaxEventTypeVerdicts)
            Interlocked.CompareExchange(ref _eventTypeVerdicts, [.. verdicts, new EventTypeVerdict(eventType.ToArray(), passes)], verdicts);
        return passes;
    }

    private const int MaxEventTypeVerdicts = 256;

    private EventTypeVerdict[] _eventTypeVerdicts = [];

    private sealed record EventTypeVerdict(byte[] Utf8, bool Passes);

    private byte[][] EventTypesUtf8 => _eventTypesUtf8 ??= EventTypes!.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();

    private byte[][]? _eventTypesUtf8;

    /// <summary>True when the event passes every condition.</summary>
    public bool Matches(LogEvent e) => (After is null || e.Id > After) && Matches(e.Timestamp, e.Event, e.SessionId, e.Model);

    internal bool Matches(EventSummary e) => Matches(e.Timestamp, e.Event, e.SessionId, e.Model);

    private bool Matches(DateTimeOffset timestamp, string eventType, string sessionId, string? model) =>
        (_since is null || timestamp >= _since) &&
        (_until is null || timestamp < _until) &&
        (EventTypes is null || EventTypes.Contains(eventType)) &&
        (_eventTypeTest is null || _eventTypeTest(eventType)) &&
        (SessionIds is null || SessionIds.Contains(sessionId)) &&
        (SessionIdTest is null || SessionIdTest(sessionId)) &&
        (Models is null || (model is not null && Models.Contains(model))) &&
        (ModelTest is null || (model is not null && ModelTest(model)));

    private static void CheckOrder(DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is { } s && until is { } u && s > u)
            throw new ArgumentException(
                $"Since ({UtcTimestamp.Format(s)}) is after Until ({UtcTimestamp.Format(u)}); Since must be at or before Until.", nameof(Since));
    }
}
