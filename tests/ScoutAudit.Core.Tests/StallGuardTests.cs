using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>The load tests' deadlock guard: it fails work that stops moving, and only that.</summary>
public class StallGuardTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task WorkThatNeverEndsAndStopsMovingIsCalledStuck()
    {
        var never = new TaskCompletionSource().Task;

        await Assert.ThrowsAsync<TimeoutException>(() => StallGuard.WaitWhileMoving(never, () => 42, Short));
    }

    [Fact]
    public async Task SlowWorkThatKeepsMovingIsWaitedForPastManyStallPeriods()
    {
        long steps = 0;
        var slow = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(Period / 4);
                Interlocked.Increment(ref steps);
            }
        });

        // Ten quarter-periods is two and a half periods: a fixed limit of one period would have failed it.
        await StallGuard.WaitWhileMoving(slow, () => Interlocked.Read(ref steps), Period);

        Assert.Equal(10, steps);
    }
}
