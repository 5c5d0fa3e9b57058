using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>Reading: a filtered full scan, and the aggregates with their peak memory.</summary>
internal static class ReadWorkloads
{
    public static void FilteredScan(Bench bench, string dataset)
    {
        var lines = bench.Sizes.DatasetEvents;
        var bytes = File.ReadAllBytes(dataset); // into the page cache
        var count = 0;
        void Scan()
        {
            using var log = new AuditLog(dataset);
            count = log.Query(new EventFilter { EventTypes = ["nav"] }).Count();
        }
        Scan(); // steady state: the parser's code compiled to its final tier first
        var meter = new CoreMeter();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pausedBefore = GC.GetTotalPauseDuration();
        var ours = Sample.Seconds(bench.Sizes.Rounds, () => meter.Run(Scan));
        var cpuPerLine = meter.CpuSeconds / bench.Sizes.Rounds / lines;
        var allocatedPerScan = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / bench.Sizes.Rounds;
        var pausedPerScan = (GC.GetTotalPauseDuration() - pausedBefore) / bench.Sizes.Rounds;
        var raw = Sample.Seconds(bench.Sizes.Rounds, () =>
        {
            using var file = new FileStream(dataset, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0);
            var buffer = new byte[1 << 20];
            while (file.Read(buffer) > 0) { }
        });
        var linesPerSecond = lines / ours.Median;
        var rawLinesPerSecond = lines / raw.Median;
        bench.Report.Add(new Row(
            $"Full scan, -Event nav ({count:N0} found), {lines:N0} lines from page cache",
            $"{linesPerSecond / 1e6:F2}M lines/s; {ours.Format("s", 3)}",
            $"raw read: {rawLinesPerSecond / 1e6:F1}M lines/s; {raw.Format("s", 3)}",
            $"{linesPerSecond / 1e6:F2}M lines/s",
            ">= 3M lines/s steady",
            linesPerSecond >= 3e6));

        // A selective scan (validation_fail, about 10% of the lines) on a copy of the file: the first
        // one summarises the file's blocks (TimeBlocks), after which a line its header rules out in a
        // clean block costs no JSON work at all.
        var selective = Path.Combine(bench.NewDirectory("selective"), "audit.jsonl");
        File.Copy(dataset, selective);
        var found = 0;
        void SelectiveScan()
        {
            using var log = new AuditLog(selective);
            found = log.Query(new EventFilter { EventTypes = ["validation_fail"] }).Count();
        }
        var summarising = new List<double>();
        for (var round = 0; round < bench.Sizes.Rounds; round++)
        {
            File.Delete(selective + ".blocks");
            summarising.Add(Sample.Time(SelectiveScan));
        }
        var summarised = Sample.Seconds(bench.Sizes.Rounds, SelectiveScan);
        var selectiveRate = lines / summarised.Median;
        bench.Report.Add(new Row(
            $"Selective scan, -Event validation_fail ({found:N0} found, {100.0 * found / lines:F0}%), {lines:N0} lines",
            $"{selectiveRate / 1e6:F2}M lines/s; {summarised.Format("s", 3)}",
            $"the first scan, summarising the blocks: {lines / new Sample(summarising).Median / 1e6:F2}M lines/s; raw read: {rawLinesPerSecond / 1e6:F1}M lines/s",
            $"{selectiveRate / 1e6:F2}M lines/s",
            ">= 10M lines/s",
            selectiveRate >= 10e6));

        // Where the scan's time goes: its CPU per line against the floor of any reader that checks
        // each line is JSON (a bare walk of the tokens) and a full parse into an event, on one core.
        var walk = PerLineOnOneCore(bytes, line =>
        {
            var reader = new Utf8JsonReader(line);
            while (reader.Read()) { }
        });
        var parse = PerLineOnOneCore(bytes, line => AuditLineParser.TryParse(line, out _, out _));
        bench.Report.Add(new Row(
            "What a line costs, -Event nav scan",
            $"{cpuPerLine * 1e9:F0} ns of CPU a line, all threads, {meter.Cores:F2} cores busy; {allocatedPerScan / 1e6:F0} MB allocated and {pausedPerScan.TotalMilliseconds:F0} ms of collection pauses a scan",
            $"one core: JSON token walk {walk:F0} ns; full parse into an event {parse:F0} ns",
            "",
            "report (where the scan's time goes)",
            null));

        if (!bench.Original.Available)
        {
            bench.Report.Add(new Row("Full scan vs the original's query()", ours.Format("s", 3), bench.Original.Missing, "", ">= 6x the original", null));
            return;
        }
        var original = Sample.Of(bench.Sizes.SlowRounds, () => bench.Original.Run("query_nav", dataset).Seconds);
        var ratio = original.Median / ours.Median;
        bench.Report.Add(new Row(
            $"Full scan, -Event nav, {lines:N0} lines",
            ours.Format("s", 3),
            $"original query(): {original.Format("s")}",
            Bench.Times(ratio),
            ">= 6x the original",
            ratio >= 6));
    }

    /// <summary>
    /// -Last 5 -Event nav: read backwards from the end of the file, against the same answer taken from
    /// a full forward read (what -Last cost before) and the original's last_events().
    /// </summary>
    public static void LastEvents(Bench bench, string dataset)
    {
        File.ReadAllBytes(dataset); // into the page cache
        var filter = new EventFilter { EventTypes = ["nav"] };
        IReadOnlyList<LogEvent> found = [];
        void Backward()
        {
            using var log = new AuditLog(dataset);
            found = log.Last(5, filter);
        }
        void Forward()
        {
            using var log = new AuditLog(dataset);
            var forward = log.Query(filter).TakeLast(5).ToList();
            if (!forward.Select(e => e.Timestamp).SequenceEqual(found.Select(e => e.Timestamp)))
                throw new InvalidOperationException("Last(5) and the last 5 of a forward read differ");
        }
        Backward();
        Forward();
        var samples = Sample.Interleaved(bench.Sizes.Rounds, () => Sample.Time(Backward) * 1000, () => Sample.Time(Forward) * 1000);
        var (ours, forwardRead) = (samples[0], samples[1]);
        var peer = bench.Original.Missing;
        if (bench.Original.Available)
        {
            var original = Sample.Of(bench.Sizes.SlowRounds, () => bench.Original.Run("last_nav", dataset, "5").Seconds * 1000);
            peer = $"original last_events(5, 'nav'): {original.Format("ms", 0)} ({Bench.Times(original.Median / ours.Median)})";
        }
        bench.Report.Add(new Row(
            $"-Last 5 -Event nav, {bench.Sizes.DatasetEvents:N0} lines",
            ours.Format("ms", 2),
            $"the same from a full forward read: {forwardRead.Format("ms", 0)}; {peer}",
            Bench.Times(forwardRead.Median / ours.Median),
            "report (cost follows N, not the history)",
            null));
    }

    /// <summary>Nanoseconds per line of <paramref name="work"/> over every line of <paramref name="bytes"/>, on this thread (the best of 3 passes).</summary>
    private static double PerLineOnOneCore(byte[] bytes, LineWork work)
    {
        var best = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var clock = Stopwatch.StartNew();
            var lines = 0;
            for (var rest = bytes.AsSpan(); rest.IndexOf((byte)'\n') is var end and >= 0; rest = rest[(end + 1)..], lines++)
                work(rest[..end]);
            best = Math.Min(best, clock.Elapsed.TotalSeconds * 1e9 / lines);
        }
        return best;
    }

    private delegate void LineWork(ReadOnlySpan<byte> line);

    public static void Aggregates(Bench bench, string dataset, Dataset data)
    {
        var since = data.End - Dataset.Span;
        var floorKib = long.Parse(ChildProcess.Run("floor", dataset), CultureInfo.InvariantCulture);

        foreach (var (name, originalName, workload, args) in new[]
                 {
                     ("Get-ScoutAuditSpend -By Model, 30 days", "hourly_spend(720)", "spend", new[] { "720" }),
                     ("Get-ScoutAuditAccuracy, 30 days", "accuracy_metrics(30 days)", "accuracy", new[] { OriginalTool.Iso(since) }),
                 })
        {
            var ours = Sample.Seconds(bench.Sizes.Rounds, () =>
            {
                using var log = new AuditLog(dataset);
                if (workload == "spend") log.Spend(EventFilter.LastHours(720, TimeProvider.System), SpendGrouping.Model);
                else log.Accuracy(new EventFilter { Since = since });
            });
            var peakKib = long.Parse(ChildProcess.Run("aggregate", dataset, workload, OriginalTool.Iso(since)), CultureInfo.InvariantCulture);
            var addedMib = (peakKib - floorKib) / 1024.0;
            var memory = $"peak {peakKib / 1024.0:F0} MiB = runtime floor {floorKib / 1024.0:F0} MiB + {addedMib:F1} MiB";

            if (!bench.Original.Available)
            {
                bench.Report.Add(new Row(name, $"{ours.Format("s", 3)}; {memory}", bench.Original.Missing, "", ">= 6x; <= floor + 32 MiB", addedMib <= 32 ? null : false));
                continue;
            }
            var runs = Enumerable.Range(0, bench.Sizes.SlowRounds).Select(_ => bench.Original.Run(workload, dataset, args)).ToList();
            var original = new Sample(runs.Select(r => r.Seconds).ToList());
            var originalMib = runs.Max(r => r.MaxRssKib) / 1024.0;
            var ratio = original.Median / ours.Median;
            bench.Report.Add(new Row(
                name,
                $"{ours.Format("s", 3)}; {memory}",
                $"original {originalName}: {original.Format("s")}; peak {originalMib:F0} MiB",
                $"{Bench.Times(ratio)}; +{addedMib:F1} MiB",
                ">= 6x the original; peak <= runtime floor + 32 MiB",
                ratio >= 6 && addedMib <= 32));
        }
    }

    /// <summary>In a child process: the peak memory of one aggregate over the whole window.</summary>
    public static long AggregatePeak(string dataset, string workload, string since)
    {
        using var log = new AuditLog(dataset);
        if (workload == "spend") log.Spend(EventFilter.LastHours(720, TimeProvider.System), SpendGrouping.Model);
        else log.Accuracy(new EventFilter { Since = DateTimeOffset.Parse(since, CultureInfo.InvariantCulture) });
        return ChildProcess.PeakResidentKib();
    }

    /// <summary>In a child process: the runtime floor, with the same code loaded and run on a handful of lines.</summary>
    public static long FloorPeak(string dataset)
    {
        var tiny = Path.Combine(Path.GetDirectoryName(dataset)!, "floor.jsonl");
        File.WriteAllLines(tiny, File.ReadLines(dataset).Take(100));
        using var log = new AuditLog(tiny);
        log.Spend(EventFilter.LastHours(720, TimeProvider.System), SpendGrouping.Model);
        log.Accuracy();
        return ChildProcess.PeakResidentKib();
    }
}
