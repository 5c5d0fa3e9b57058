using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>Appending: the engine against a bare FileStream loop and the original's log().</summary>
internal static class AppendWorkloads
{
    private static LogEvent Realistic(int i) => new("nav")
    {
        Cost = 0.000168,
        Model = "llama-3.1-8b",
        InputTokens = 1234,
        OutputTokens = 256,
        Files = ["src/scout/navigator.py"],
        Reason = "navigate to definition",
        Confidence = 85,
        DurationMs = 1234 + i % 7,
    };

    /// <summary>The original's <c>log()</c> called <paramref name="n"/> times into a fresh log: seconds, as python3 measured them.</summary>
    public static double OriginalLoop(Bench bench, int n) =>
        bench.Original.Run("log", Path.Combine(bench.NewDirectory("original-log"), "audit.jsonl"), n.ToString()).Seconds;

    public static void Cadence(Bench bench)
    {
        var n = bench.Sizes.AppendEvents;
        string path = "";
        void Fresh() => path = Path.Combine(bench.NewDirectory("append"), "audit.jsonl");
        var options = new AuditLogOptions { RotationSize = null }; // the appends alone; rotation has its own row

        // The machine's limit: the same bytes through a bare FileStream, fsync after every 10th line.
        var lines = Enumerable.Range(0, n).Select(i => AuditLineFormatter.Format(Realistic(i))).ToArray();
        var measures = new List<Func<double>>
        {
            () => Sample.Time(() =>
            {
                using var log = new AuditLog(path, options);
                for (var i = 0; i < n; i++) log.Append(Realistic(i));
            }, Fresh),
            () => Sample.Time(() =>
            {
                using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 0);
                for (var i = 0; i < n; i++)
                {
                    file.Write(lines[i]);
                    if (i % 10 == 9) file.Flush(flushToDisk: true);
                }
                file.Flush(flushToDisk: true);
            }, Fresh),
        };
        if (bench.Original.Available) measures.Add(() => OriginalLoop(bench, n));
        var samples = Sample.Interleaved(bench.Sizes.Rounds, [.. measures]);
        var (ours, bare) = (samples[0], samples[1]);
        var original = bench.Original.Available ? samples[2] : null;

        var vsBare = bare.Median / ours.Median;
        bench.Report.Add(new Row(
            $"Engine append, default cadence, {n:N0} events, one writer",
            ours.Format("s"),
            $"bare FileStream + fsync/10: {bare.Format("s")}",
            $"{vsBare:F2}x the bare loop",
            ">= 0.85x the bare loop",
            vsBare >= 0.85));
        if (original is not null)
        {
            var vsOriginal = original.Median / ours.Median;
            bench.Report.Add(new Row(
                $"Engine append, default cadence, {n:N0} events, one writer",
                ours.Format("s"),
                $"original log(): {original.Format("s")}",
                Bench.Times(vsOriginal),
                ">= 1.6x the original",
                vsOriginal >= 1.6));
        }
        else
        {
            bench.Report.Add(new Row($"Engine append vs the original", ours.Format("s"), bench.Original.Missing, "", ">= 1.6x the original", null));
        }
    }

    public static void EveryEventWithFourWriters(Bench bench)
    {
        var n = bench.Sizes.EveryEventEvents;
        string path = "";
        void Fresh() => path = Path.Combine(bench.NewDirectory("every-event"), "audit.jsonl");
        var options = new AuditLogOptions { RotationSize = null, SyncPolicy = new SyncPolicy { Mode = SyncMode.EveryEvent } };

        // Dedicated threads: the thread pool would add blocked workers only slowly. Waiters spin
        // while syncs are fast, so the CPU this takes is reported beside the speed.
        void Append(int threads)
        {
            using var log = new AuditLog(path, options);
            var writers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                for (var i = t; i < n; i += threads) log.Append(Realistic(i));
            })).ToList();
            writers.ForEach(w => w.Start());
            writers.ForEach(w => w.Join());
        }

        var (oneMeter, fourMeter) = (new CoreMeter(), new CoreMeter());
        var samples = Sample.Interleaved(bench.Sizes.Rounds,
            () => Sample.Time(() => oneMeter.Run(() => Append(1)), Fresh),
            () => Sample.Time(() => fourMeter.Run(() => Append(4)), Fresh));
        var (one, four) = (samples[0], samples[1]);
        var (oneCores, fourCores) = (oneMeter.Cores, fourMeter.Cores);
        var speedup = one.Median / four.Median;
        bench.Report.Add(new Row(
            $"Engine append, every event synced, {n:N0} events, 4 writer threads",
            $"{n / four.Median:N0} events/s; {four.Format("s")}; {fourCores:F1} cores busy",
            $"1 writer: {n / one.Median:N0} events/s; {one.Format("s")}; {oneCores:F1} cores busy",
            $"{speedup:F2}x one writer",
            ">= 2.5x one writer (group commit)",
            speedup >= 2.5));
    }
}
