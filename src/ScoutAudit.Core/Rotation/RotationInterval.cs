namespace ScoutAudit.Core;

/// <summary>
/// How often the active file is sealed whatever its size (<see cref="AuditLogOptions.RotationInterval"/>),
/// so that at most one interval of events waits unsealed, outside the chain that verification
/// checks: at the first write, or the writer's timer, after a UTC hour or day boundary.
/// </summary>
public enum RotationInterval
{
    /// <summary>By size only, as the original.</summary>
    None,

    /// <summary>At every UTC hour boundary.</summary>
    Hour,

    /// <summary>At every UTC midnight.</summary>
    Day,
}

internal static class RotationIntervals
{
    /// <summary>The start of the interval that <paramref name="time"/> falls in (UTC).</summary>
    public static DateTimeOffset Start(this RotationInterval interval, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return interval switch
        {
            RotationInterval.Hour => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            RotationInterval.Day => new DateTimeOffset(utc.Date, TimeSpan.Zero),
            _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "No interval."),
        };
    }

    public static DateTimeOffset Next(this RotationInterval interval, DateTimeOffset time) =>
        interval == RotationInterval.Hour ? interval.Start(time).AddHours(1) : interval.Start(time).AddDays(1);
}
