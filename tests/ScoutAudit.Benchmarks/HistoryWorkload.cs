using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>A query of the last hour costs what the hour holds, not what the history holds.</summary>
internal static class HistoryWorkload
{
    /// <summary>The events before the last hour in the bench's number of archives, the last hour in the active file.</summary>
    public static string WriteArchivedHistory(Bench bench, string name, List<LogEvent> older, List<LogEvent> recent)
    {
        var history = Path.Combine(bench.NewDirectory(name), "audit.jsonl");
        var fast = new AuditLogOptions { RotationSize = null, SyncPolicy = new SyncPolicy { Mode = SyncMode.None } };
        using var log = new AuditLog(history, fast);
        var perArchive = (older.Count + bench.Sizes.Archives - 1) / bench.Sizes.Archives;
        for (var i = 0; i < older.Count; i++)
        {
            log.Append(older[i]);
            if (i % perArchive == perArchive - 1 || i == older.Count - 1) log.Rotate();
        }
        foreach (var e in recent) log.Append(e);
        return history;
    }

    public static void LastHourOfALongHistory(Bench bench, Dataset data)
    {
        var lastHour = data.End.AddHours(-1);
        var events = data.Events().ToList();
        var recent = events.Where(e => e.Timestamp >= lastHour).ToList();
        var older = events.Where(e => e.Timestamp < lastHour).ToList();

        var history = WriteArchivedHistory(bench, "history", older, recent);
        var fast = new AuditLogOptions { RotationSize = null, SyncPolicy = new SyncPolicy { Mode = SyncMode.None } };
        var activeOnly = Path.Combine(bench.NewDirectory("active-only"), "audit.jsonl");
        using (var log = new AuditLog(activeOnly, fast))
        {
            foreach (var e in recent) log.Append(e);
        }

        var window = new EventFilter { Since = lastHour };
        int Count(string path)
        {
            using var log = new AuditLog(path);
            return log.Query(window).Count();
        }
        Count(history); // warm: directory, index and files in the cache
        var rounds = bench.Sizes.Rounds * 4;
        var withHistory = Sample.Seconds(rounds, () => Count(history));
        var alone = Sample.Seconds(rounds, () => Count(activeOnly));
        var archives = new AuditLog(history).Archives().Count;
        var ratio = withHistory.Median / alone.Median;
        bench.Report.Add(new Row(
            $"-Since the last hour ({recent.Count:N0} events) on a {archives}-archive history",
            $"{withHistory.Median * 1000:F1} ms ({withHistory.Min * 1000:F1}–{withHistory.Max * 1000:F1})",
            $"active file only: {alone.Median * 1000:F1} ms ({alone.Min * 1000:F1}–{alone.Max * 1000:F1})",
            $"{ratio:F2}x the active-only log",
            "<= 2x (cost follows the asked window)",
            ratio <= 2));

        // The whole history in one active file (rotation off): the window's blocks alone are read,
        // once the first query has summarised the file's blocks by time.
        var single = Path.Combine(bench.NewDirectory("single-file"), "audit.jsonl");
        data.WriteTo(single);
        var summarising = new List<double>();
        for (var round = 0; round < bench.Sizes.Rounds; round++)
        {
            File.Delete(single + ".blocks");
            summarising.Add(Sample.Time(() => Count(single)));
        }
        var summarised = Sample.Seconds(rounds, () => Count(single));
        var summarisedRatio = summarised.Median / alone.Median;
        // The same window on a tenth of that history: the cost follows the window, not the file.
        var tenth = Path.Combine(bench.NewDirectory("single-file-tenth"), "audit.jsonl");
        File.WriteAllLines(tenth, File.ReadLines(single).Skip(data.Count - data.Count / 10));
        Count(tenth); // summarised once
        var tenthSample = Sample.Seconds(rounds, () => Count(tenth));
        bench.Report.Add(new Row(
            $"-Since the last hour on one active file of {data.Count:N0} lines ({new FileInfo(single).Length / (1024.0 * 1024):F0} MiB)",
            $"{summarised.Median * 1000:F1} ms ({summarised.Min * 1000:F1}–{summarised.Max * 1000:F1}); the first query, summarising the blocks: {new Sample(summarising).Median * 1000:F0} ms",
            $"active file only: {alone.Median * 1000:F1} ms; a tenth of the history ({data.Count / 10:N0} lines): {tenthSample.Median * 1000:F1} ms",
            $"{summarisedRatio:F2}x the active-only log; {summarised.Median / tenthSample.Median:F2}x the tenth",
            "<= 2x (cost follows the asked window)",
            summarisedRatio <= 2));

        // The same history as the original leaves it: archives without an index. The first query
        // reads them all and indexes them; the second skips them as it skips ScoutAudit's own.
        var index = Path.Combine(Path.GetDirectoryName(history)!, "audit.index.jsonl");
        var firstReads = new List<double>();
        var secondReads = new List<double>();
        for (var round = 0; round < bench.Sizes.Rounds; round++)
        {
            File.Delete(index);
            firstReads.Add(Sample.Time(() => Count(history)));
            secondReads.Add(Sample.Time(() => Count(history)));
        }
        var first = new Sample(firstReads);
        var second = new Sample(secondReads);
        bench.Report.Add(new Row(
            $"-Since the last hour on the same {archives} archives without an index (as the original leaves them)",
            $"first query {first.Median * 1000:F0} ms ({first.Min * 1000:F0}–{first.Max * 1000:F0}), indexing them; second {second.Median * 1000:F1} ms ({second.Min * 1000:F1}–{second.Max * 1000:F1})",
            $"active file only: {alone.Median * 1000:F1} ms",
            $"{second.Median / alone.Median:F2}x the active-only log from the second query",
            "report (archives the original made are indexed on first read)",
            null));
    }
}
