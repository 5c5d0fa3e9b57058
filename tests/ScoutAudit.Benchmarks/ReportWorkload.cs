using System.Globalization;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Export-ScoutAuditReport in a fresh pwsh over the dataset's 30 days (the 1,000,000-event history),
/// its time and the pwsh process's peak working set, beside Get-ScoutAuditSpend -By Day over the same
/// days (one pass of the engine's aggregate, the least a report can cost) and the same report of
/// the dataset's first 1,000 lines (what pwsh, the module and a page cost without the events), in
/// alternating rounds.
/// </summary>
internal static class ReportWorkload
{
    private const string Target = "report the time and peak memory; memory does not grow with the events";

    public static void Report(Bench bench, string dataset, Dataset data)
    {
        var workload = $"Export-ScoutAuditReport over {data.Count:N0} events (30 days), in pwsh";
        if (bench.ModulePath is null || bench.Pwsh.Value is not { } pwsh)
        {
            bench.Report.Add(new Row(workload, bench.ModulePath is null ? "n/a: module/ScoutAudit.psd1 not built" : Pwsh.Missing, "", "", Target, null));
            return;
        }
        var directory = bench.NewDirectory("report");
        var log = Path.Combine(directory, "audit.jsonl");
        File.Copy(dataset, log);
        var small = Path.Combine(directory, "small.jsonl");
        File.WriteAllLines(small, File.ReadLines(dataset).Take(1_000));
        var since = UtcTimestamp.Format(new DateTimeOffset(data.Start.UtcDateTime.Date, TimeSpan.Zero));
        var peaks = new long[3];
        var pageBytes = 0;

        (double Seconds, long Peak) Run(string workload, string path)
        {
            var output = pwsh.RunFile(ModuleWorkloads.Script, "-Workload", workload, "-Module", bench.ModulePath, "-Log", path, "-Count", "1", "-Since", since);
            var last = output.Split('\n').Last().Trim().Split(' ');
            if (workload == "report" && path == log) pageBytes = int.Parse(last[1], CultureInfo.InvariantCulture);
            return (double.Parse(last[0], CultureInfo.InvariantCulture) / 1000, long.Parse(last[2], CultureInfo.InvariantCulture));
        }

        var samples = Sample.Interleaved(bench.Sizes.SlowRounds,
            () => { var (seconds, peak) = Run("report", log); peaks[0] = Math.Max(peaks[0], peak); return seconds; },
            () => { var (seconds, peak) = Run("spend-by-day", log); peaks[1] = Math.Max(peaks[1], peak); return seconds; },
            () => { var (seconds, peak) = Run("report", small); peaks[2] = Math.Max(peaks[2], peak); return seconds; });
        var (report, spend, floor) = (samples[0], samples[1], samples[2]);
        static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):F0} MiB";
        bench.Report.Add(new Row(
            workload,
            $"{report.Format("s")}, peak {Megabytes(peaks[0])}; a page of {pageBytes / 1024.0:F0} KiB",
            $"Get-ScoutAuditSpend -By Day over the same days: {spend.Format("s")}, peak {Megabytes(peaks[1])}; the report of 1,000 lines: {floor.Format("s")}, peak {Megabytes(peaks[2])}",
            $"{report.Median / spend.Median:F2}x the time of one aggregate pass; +{Megabytes(peaks[0] - peaks[2])} over the 1,000-line report",
            Target,
            null));
    }
}
