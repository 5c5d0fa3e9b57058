using Microsoft.Extensions.Time.Testing;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// A clock on which every wait ends at once: a timer fires as it is made and moves the clock forward by
/// its due time. Each wait asked for is kept, so tests check backoff without sleeping through it.
/// </summary>
/// <remarks>
/// The clock itself is <see cref="FakeTimeProvider"/>'s; only its timers are not. The forwarder waits
/// out a backoff with a blocking Task.Delay on its own thread, so a FakeTimeProvider timer would need a
/// second thread to notice the wait and Advance past it; here the wait is the Advance.
/// </remarks>
public sealed class InstantWaits(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<TimeSpan> _waits = [];

    public InstantWaits()
        : this(new DateTimeOffset(2026, 2, 13, 14, 30, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Called after each wait (for a test that changes the world while the forwarder waits).</summary>
    public Action<int>? AfterWait { get; set; }

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits) return [.. _waits];
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        int count;
        lock (_waits)
        {
            _waits.Add(dueTime);
            Advance(dueTime);
            count = _waits.Count;
        }
        AfterWait?.Invoke(count);
        callback(state);
        return new SpentTimer();
    }

    private sealed class SpentTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
