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

    /// <summary>One timed run of <paramref name="work"/>, in seconds (after <paramref name="setup"/>, untimed).</summary>
    public static double Time(Action work, Action? setup = null) => Seconds(1, work, setup).Values[0];

    /// <summary>
    /// Measures several workloads in alternating rounds, each measurement returning seconds, so
    /// that a drift of the machine during the run (an fsync here takes 100 µs one minute and 140
    /// the next) weighs on all of them alike and their ratios hold.
    /// </summary>
    public static Sample[] Interleaved(int rounds, params Func<double>[] measures)
    {
        var values = measures.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < measures.Length; i++) values[i].Add(measures[i]());
        }
        return [.. values.Select(v => new Sample(v))];
    }

    public static Sample Of(int rounds, Func<double> measure) => new(Enumerable.Range(0, rounds).Select(_ => measure()).ToList());

    public string Format(string unit, int decimals = 2) =>
        Values.Count == 1
            ? $"{Median.ToString($"F{decimals}")} {unit}"
            : $"{Median.ToString($"F{decimals}")} {unit} ({Min.ToString($"F{decimals}")}–{Max.ToString($"F{decimals}")})";
}
