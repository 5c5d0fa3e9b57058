namespace ScoutAudit.Core.Tests.Support;

/// <summary>
/// Waits for work that must end, and fails it (TimeoutException) only when it stops moving: a
/// deadlock fails the test instead of hanging CI, while a loaded machine that is only slow (two
/// cores shared with builds) does not. A fixed total time measured speed, not deadlocks.
/// </summary>
public static class StallGuard
{
    /// <summary>How long the work may show no progress at all before it is called stuck.</summary>
    public static readonly TimeSpan Stall = TimeSpan.FromMinutes(1);

    /// <summary>Waits for <paramref name="work"/> while <paramref name="progress"/> keeps changing at least once every <paramref name="stall"/> (<see cref="Stall"/>).</summary>
    public static async Task WaitWhileMoving(Task work, Func<long> progress, TimeSpan? stall = null)
    {
        var limit = stall ?? Stall;
        var last = progress();
        while (await Task.WhenAny(work, Task.Delay(limit)) != work)
        {
            var now = progress();
            if (now == last) throw new TimeoutException($"No progress in {limit.TotalSeconds:0.#} s (still at {now}): the work is stuck.");
            last = now;
        }
        await work;
    }

    /// <summary>A progress measure of a folder's files: their sizes added up, which any write, seal or archive changes.</summary>
    public static long BytesIn(string folder)
    {
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            try
            {
                total += new FileInfo(file).Length;
            }
            catch (IOException)
            {
                // Renamed or removed while listed: the next look counts it.
            }
        }
        return total;
    }
}
