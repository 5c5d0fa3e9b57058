namespace ScoutAudit.Core;

/// <summary>When appended lines are forced to stable storage.</summary>
public enum SyncMode
{
    /// <summary>
    /// The original's cadence: after every <see cref="SyncPolicy.EveryLines"/>th line or when
    /// <see cref="SyncPolicy.Interval"/> has passed since the last sync, and, unlike the original,
    /// within the interval after a write even when no further write comes. The sync runs off the
    /// writer's thread; an append that finds twice <see cref="SyncPolicy.EveryLines"/> lines
    /// unsynced waits for it. A power loss can take at most 2 x EveryLines - 1 acknowledged lines,
    /// or those of the last Interval plus one sync's time.
    /// </summary>
    Cadence,

    /// <summary>Every event is synced before its append returns (concurrent appends share one sync).</summary>
    EveryEvent,

    /// <summary>Left to the operating system; closing the log still syncs.</summary>
    None,
}

/// <summary>A log's sync policy. The default is the original's: every 10 lines or 1 second.</summary>
public sealed record SyncPolicy
{
    private readonly int _everyLines = 10;
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1);

    /// <summary>The original's cadence: every 10 lines or 1 second.</summary>
    public static SyncPolicy Default { get; } = new();

    public SyncMode Mode { get; init; } = SyncMode.Cadence;

    /// <summary>With <see cref="SyncMode.Cadence"/>: sync after this many unsynced lines (1 or more).</summary>
    public int EveryLines
    {
        get => _everyLines;
        init => _everyLines = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EveryLines), value, $"The sync cadence must be at least 1 line; got {value}.");
    }

    /// <summary>With <see cref="SyncMode.Cadence"/>: no line stays unsynced longer than this (1 ms to 1 hour).</summary>
    public TimeSpan Interval
    {
        get => _interval;
        init => _interval = value >= TimeSpan.FromMilliseconds(1) && value <= TimeSpan.FromHours(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Interval), value, $"The sync interval must be from 1 millisecond to 1 hour; got {value}.");
    }

    public override string ToString() => Mode switch
    {
        SyncMode.Cadence => $"Cadence ({EveryLines} lines / {Interval.TotalSeconds:0.###} s)",
        _ => Mode.ToString(),
    };
}
