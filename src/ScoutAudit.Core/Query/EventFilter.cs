namespace ScoutAudit.Core;

/// <summary>
/// Which events a query or aggregate looks at. Times are instants: <see cref="Since"/> is
/// inclusive, <see cref="Until"/> exclusive. Each list, when given, keeps the events whose field
/// equals one of its entries (ordinal, as the original compares).
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

    public IReadOnlyCollection<string>? Models { get; init; }

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

    /// <summary>
    /// False when a line with this time and event type (UTF-8) cannot pass, whatever else it holds:
    /// the cheap test a query makes before parsing a line.
    /// </summary>
    internal bool MayMatch(DateTimeOffset timestamp, ReadOnlySpan<byte> eventType)
    {
        if ((_since is not null && timestamp < _since) || (_until is not null && timestamp >= _until)) return false;
        if (EventTypes is null) return true;
        foreach (var candidate in EventTypesUtf8)
        {
            if (eventType.SequenceEqual(candidate)) return true;
        }
        return false;
    }

    private byte[][] EventTypesUtf8 => _eventTypesUtf8 ??= EventTypes!.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();

    private byte[][]? _eventTypesUtf8;

    /// <summary>True when the event passes every condition.</summary>
    public bool Matches(AuditEvent e) => Matches(e.Timestamp, e.Event, e.SessionId, e.Model);

    internal bool Matches(EventSummary e) => Matches(e.Timestamp, e.Event, e.SessionId, e.Model);

    private bool Matches(DateTimeOffset timestamp, string eventType, string sessionId, string? model) =>
        (_since is null || timestamp >= _since) &&
        (_until is null || timestamp < _until) &&
        (EventTypes is null || EventTypes.Contains(eventType)) &&
        (SessionIds is null || SessionIds.Contains(sessionId)) &&
        (Models is null || (model is not null && Models.Contains(model)));

    private static void CheckOrder(DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is { } s && until is { } u && s > u)
            throw new ArgumentException(
                $"Since ({UtcTimestamp.Format(s)}) is after Until ({UtcTimestamp.Format(u)}); Since must be at or before Until.", nameof(Since));
    }
}
