using Microsoft.Extensions.Time.Testing;

namespace ScoutAudit.Core.Tests.Support;

/// <summary>
/// The tests' clock: a <see cref="FakeTimeProvider"/>, which moves only when a test moves it and fires
/// the timers that fall due on the way inside <see cref="FakeTimeProvider.Advance(TimeSpan)"/>, save
/// that a timer armed for now fires at the next Advance, not inside the call that armed it.
/// </summary>
/// <remarks>
/// Why the adapter: FakeTimeProvider runs a timer armed with a due time of zero at once, inside
/// <see cref="ITimer.Change"/>, on the caller's thread. The writer arms its timers inside its write
/// lock, and an interval already over when a file is opened arms the sealing timer with zero: the seal
/// would then run in the middle of the open, on the writer's own stack, where a real timer never runs
/// (it fires on the thread pool once the writer lets go of its lock). Today that early seal finds the
/// new file not yet installed, does nothing and is spent, so the tests pass either way; they should not
/// rest on that. One tick later is the soonest FakeTimeProvider fires otherwise.
/// </remarks>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>Where a test's clock starts unless it says otherwise.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero);

    public TestClock()
        : this(DefaultStart)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new NeverAtOnceTimer(base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class NeverAtOnceTimer(ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) =>
            timer.Change(dueTime == TimeSpan.Zero ? TimeSpan.FromTicks(1) : dueTime, period);

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
