using System.Diagnostics;
using System.Globalization;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>A writer keeps appending while its full segment is rotated: how long does it wait, and what memory does rotation add?</summary>
internal static class RotationWorkload
{
    public static void WriterDuringRotation(Bench bench, Dataset data)
    {
        var segment = bench.Sizes.RotationSegmentBytes;
        var ours = ChildProcess.Run("rotation", bench.NewDirectory("rotation"), segment.ToString(CultureInfo.InvariantCulture)).Split(' ');
        var longestMs = double.Parse(ours[0], CultureInfo.InvariantCulture);
        var addedMib = long.Parse(ours[1], CultureInfo.InvariantCulture) / 1024.0;

        var peer = bench.Original.Missing;
        if (bench.Original.Available)
        {
            var stalls = Sample.Of(bench.Sizes.SlowRounds, () =>
            {
                var path = Path.Combine(bench.NewDirectory("rotation-original"), "audit.jsonl");
                Fill(path, segment);
                return bench.Original.Run("rotate_stall", path, "0", segment.ToString(CultureInfo.InvariantCulture)).Seconds * 1000;
            });
            peer = $"original: the log() that rotates stalls {stalls.Format("ms", 0)}";
        }
        bench.Report.Add(new Row(
            $"A writer during the rotation of a {segment / 1024.0 / 1024.0:F0} MiB realistic segment",
            $"longest append {longestMs:F1} ms; rotation adds {addedMib:F1} MiB",
            peer,
            $"{longestMs:F1} ms; +{addedMib:F1} MiB",
            "longest append <= 20 ms; rotation adds <= 8 MiB",
            longestMs <= 20 && addedMib <= 8));
    }

    /// <summary>In a child process: prints "&lt;longest append ms&gt; &lt;added peak KiB&gt;".</summary>
    public static string MeasureInChild(string directory, long segmentBytes)
    {
        // Warm up: the append, seal and archive code paths are compiled before anything is timed.
        using (var warm = new AuditLog(Path.Combine(directory, "warm", "audit.jsonl"), new AuditLogOptions { RotationSize = 4096 }))
        {
            for (var i = 0; i < 100; i++) warm.Append(Event(i));
        }
        var path = Path.Combine(directory, "audit.jsonl");
        Fill(path, segmentBytes);
        GC.Collect();
        var before = ChildProcess.PeakResidentKib();

        var longest = TimeSpan.Zero;
        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = segmentBytes }))
        {
            var clock = new Stopwatch();
            for (var i = 0; i < 2000; i++)
            {
                var e = Event(i);
                clock.Restart();
                log.Append(e);
                if (clock.Elapsed > longest) longest = clock.Elapsed;
            }
        } // waits for the archive
        var added = ChildProcess.PeakResidentKib() - before;
        return FormattableString.Invariant($"{longest.TotalMilliseconds:F2} {added}");
    }

    /// <summary>An active file of realistic lines just at the rotation size, synced as the cadence would have left it.</summary>
    private static void Fill(string path, long bytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1 << 20);
        var data = new Dataset(1_000_000, DateTimeOffset.UtcNow);
        foreach (var e in data.Events())
        {
            if (file.Length >= bytes) break;
            file.Write(AuditLineFormatter.Format(e));
        }
        file.Flush(flushToDisk: true);
    }

    private static LogEvent Event(int i) => new("nav") { Cost = 0.000168, Model = "llama-3.1-8b", InputTokens = 1234 + i, OutputTokens = 256 };
}
