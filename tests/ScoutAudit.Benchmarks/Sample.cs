using System.Diagnostics;

namespace ScoutAudit.Benchmarks;

/// <summary>Repeated measurements of one quantity: median, min and max.</summary>
internal sealed record Sample(IReadOnlyList<double> Values)
{
    public double Median
    {
        get
        {
            var sorted = Values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public double Min => Values.Min();

    public double Max => Values.Max();

    /// <summary>Times <paramref name="work"/> over <paramref name="rounds"/> rounds (after <paramref name="setup"/> each time, untimed).</summary>
    public static Sample Seconds(int rounds, Action work, Action? setup = null)
    {
        var values = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            setup?.Invoke();
            var clock = Stopwatch.StartNew();
            work();
            values.Add(clock.Elapsed.TotalSeconds);
        }
        return new Sample(values);
    }

    /// <summary>
    /// Times two workloads in alternating rounds, so that a drift of the machine during the run
    /// (an fsync here takes 100 µs one minute and 140 the next) weighs on both alike and their
    /// ratio holds.
    /// </summary>
    public static (Sample First, Sample Second) Interleaved(int rounds, Action first, Action second, Action? setup = null)
    {
        var (one, two) = (new List<double>(), new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            one.AddRange(Seconds(1, first, setup).Values);
            two.AddRange(Seconds(1, second, setup).Values);
        }
        return (new Sample(one), new Sample(two));
    }

    public static Sample Of(int rounds, Func<double> measure) => new(Enumerable.Range(0, rounds).Select(_ => measure()).ToList());

    public string Format(string unit, int decimals = 2) =>
        Values.Count == 1
            ? $"{Median.ToString($"F{decimals}")} {unit}"
            : $"{Median.ToString($"F{decimals}")} {unit} ({Min.ToString($"F{decimals}")}–{Max.ToString($"F{decimals}")})";
}
