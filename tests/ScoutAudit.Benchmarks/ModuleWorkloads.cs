using System.Diagnostics;
using System.Globalization;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Through the PowerShell module in real pwsh (the PowerShell 7.6.9 tool of the repository's
/// manifest, see <see cref="Pwsh"/>), a fresh pwsh process per measurement; module-side.ps1 is the
/// module's side of each row and times itself.
/// </summary>
internal static class ModuleWorkloads
{
    internal static string Script => Path.Combine(AppContext.BaseDirectory, "module-side.ps1");

    public static void Pipeline(Bench bench)
    {
        var n = bench.Sizes.PipelineEvents;
        var workload = $"$events | Write-ScoutAuditEvent in pwsh, {n:N0} objects, default cadence";
        const string target = ">= 1.0x the original's log() loop";
        if (Unavailable(bench, workload, target)) return;

        string path = "";
        var measures = new List<Func<double>>
        {
            () =>
            {
                path = Path.Combine(bench.NewDirectory("pipeline"), "audit.jsonl");
                return Side(bench, "pipeline", path, n).Milliseconds / 1000;
            },
        };
        // The peer in alternating rounds (the disk's fsync time drifts).
        if (bench.Original.Available) measures.Add(() => AppendWorkloads.OriginalLoop(bench, n));
        var samples = Sample.Interleaved(bench.Sizes.SlowRounds, [.. measures]);
        var ours = samples[0];
        CheckLines(path, n, "the pipeline");

        if (!bench.Original.Available)
        {
            bench.Report.Add(new Row(workload, ours.Format("s"), bench.Original.Missing, "", target, null));
            return;
        }
        var original = samples[1];
        var ratio = original.Median / ours.Median;
        bench.Report.Add(new Row(workload, ours.Format("s"), $"original log() loop: {original.Format("s")}", Bench.Times(ratio), target, ratio >= 1.0));
    }

    /// <summary>The runbook's pattern: one Write-ScoutAuditEvent command per event, its values passed as parameters.</summary>
    public static void Runbook(Bench bench)
    {
        var n = bench.Sizes.RunbookEvents;
        var workload = $"foreach ($e in $events) {{ Write-ScoutAuditEvent ... }} in pwsh, {n:N0} events, default cadence";
        const string target = "report";
        if (Unavailable(bench, workload, target)) return;

        string path = "";
        var measures = new List<Func<double>>
        {
            () =>
            {
                path = Path.Combine(bench.NewDirectory("runbook"), "audit.jsonl");
                return Side(bench, "runbook", path, n).Milliseconds / 1000;
            },
        };
        if (bench.Original.Available) measures.Add(() => AppendWorkloads.OriginalLoop(bench, n));
        var samples = Sample.Interleaved(bench.Sizes.SlowRounds, [.. measures]);
        var ours = samples[0];
        CheckLines(path, n, "the runbook loop");

        var mine = $"{n / ours.Median:N0} events/s; {ours.Format("s")}";
        if (!bench.Original.Available)
        {
            bench.Report.Add(new Row(workload, mine, bench.Original.Missing, "", target, null));
            return;
        }
        var original = samples[1];
        bench.Report.Add(new Row(workload, mine, $"original log() loop: {n / original.Median:N0} events/s; {original.Format("s")}",
            Bench.Times(original.Median / ours.Median), target, null));
    }

    /// <summary>What a PowerShell user would otherwise write: Get-Content | ConvertFrom-Json | Where-Object, against Get-ScoutAuditEvent.</summary>
    public static void Query(Bench bench, string dataset)
    {
        var n = bench.Sizes.QueryLines;
        var workload = $"In pwsh: the nav events of a {n:N0}-line log into a variable";
        const string target = "report";
        if (Unavailable(bench, workload, target)) return;

        var path = Path.Combine(bench.NewDirectory("pwsh-query"), "audit.jsonl");
        File.WriteAllLines(path, File.ReadLines(dataset).Take(n));
        var found = new int[2];
        var samples = Sample.Interleaved(bench.Sizes.SlowRounds,
            () => { var (ms, count) = Side(bench, "query", path, 0); found[0] = count; return ms / 1000; },
            () => { var (ms, count) = Side(bench, "query-peer", path, 0); found[1] = count; return ms / 1000; });
        if (found[0] != found[1]) throw new InvalidOperationException($"Get-ScoutAuditEvent found {found[0]} nav events, Get-Content | ConvertFrom-Json | Where-Object {found[1]}");
        var (ours, peer) = (samples[0], samples[1]);
        bench.Report.Add(new Row(
            $"{workload} ({found[0]:N0} found)",
            $"Get-ScoutAuditEvent -Event nav: {ours.Format("s")}",
            $"Get-Content | ConvertFrom-Json | Where-Object Event -eq nav: {peer.Format("s")}",
            Bench.Times(peer.Median / ours.Median),
            target,
            null));
    }

    /// <summary>
    /// Counting the nav events of a log in pwsh: Get-ScoutAuditEvent against what a PowerShell user
    /// would write without the module, JSON-aware (Get-Content | ConvertFrom-Json | Where-Object) and
    /// plain text (Select-String -SimpleMatch on the line's own form), each in a fresh pwsh that runs
    /// it five times: the fifth is timed, a warm session's answer (the first runs of a fresh pwsh still compile).
    /// </summary>
    public static void Count(Bench bench, string dataset)
    {
        var n = bench.Sizes.QueryLines;
        var workload = $"In pwsh: -Event nav | Measure-Object over a {n:N0}-line log";
        const string target = ">= 20x Get-Content | ConvertFrom-Json | Where-Object; >= 2x Select-String";
        if (Unavailable(bench, workload, target)) return;
        var path = Path.Combine(bench.NewDirectory("pwsh-count"), "audit.jsonl");
        File.WriteAllLines(path, File.ReadLines(dataset).Take(n));
        var found = new int[3];
        var samples = Sample.Interleaved(bench.Sizes.SlowRounds,
            () => { var (ms, count) = Side(bench, "count", path, 5); found[0] = count; return ms / 1000; },
            () => { var (ms, count) = Side(bench, "count-json", path, 5); found[1] = count; return ms / 1000; },
            () => { var (ms, count) = Side(bench, "count-select", path, 5); found[2] = count; return ms / 1000; });
        if (found.Distinct().Count() != 1) throw new InvalidOperationException($"the counts differ: Get-ScoutAuditEvent {found[0]}, ConvertFrom-Json {found[1]}, Select-String {found[2]}");
        var (ours, json, text) = (samples[0], samples[1], samples[2]);
        var (jsonRatio, textRatio) = (json.Median / ours.Median, text.Median / ours.Median);
        bench.Report.Add(new Row(
            $"{workload} ({found[0]:N0} found)",
            $"Get-ScoutAuditEvent -Event nav | Measure-Object, warm: {ours.Format("s")}",
            $"Get-Content | ConvertFrom-Json | Where-Object: {json.Format("s")}; Select-String -SimpleMatch: {text.Format("s")}",
            $"{jsonRatio:F1}x and {textRatio:F2}x faster",
            target,
            jsonRatio >= 20 && textRatio >= 2));
    }

    /// <summary>
    /// The headline query on one large active file: the last hour of a 30-day history, warm (the
    /// second query of a session), the first query of a session, and the very first query, which
    /// summarises the file's blocks by time (TimeBlocks) for the queries after it.
    /// </summary>
    public static void Headline(Bench bench, string dataset, Dataset data)
    {
        var workload = $"In pwsh: Get-ScoutAuditEvent -Since <an hour ago> | Where Event -eq nav, one {data.Count:N0}-line file ({new FileInfo(dataset).Length / (1024.0 * 1024):F0} MiB)";
        const string target = "<= 10 ms warm; first query of a session <= 2x warm";
        if (Unavailable(bench, workload, target)) return;
        var path = Path.Combine(bench.NewDirectory("headline"), "audit.jsonl");
        File.Copy(dataset, path);
        var since = UtcTimestamp.Format(data.End.AddHours(-1));
        var found = new int[3];
        var samples = Sample.Interleaved(bench.Sizes.SlowRounds,
            () => { var (ms, count) = Side(bench, "headline", path, 2, since); found[0] = count; return ms / 1000; },
            () => { var (ms, count) = Side(bench, "headline", path, 1, since); found[1] = count; return ms / 1000; },
            () =>
            {
                File.Delete(path + ".blocks");
                var (ms, count) = Side(bench, "headline", path, 1, since);
                found[2] = count;
                return ms / 1000;
            });
        var expected = data.Events().Count(e => e.Timestamp >= data.End.AddHours(-1) && e.Event == "nav");
        if (found.Any(count => count != expected)) throw new InvalidOperationException($"the headline query found {string.Join("/", found)} nav events, not {expected}");
        var (warm, first, unsummarised) = (samples[0], samples[1], samples[2]);
        var ratio = first.Median / warm.Median;
        // The same history as ScoutAudit keeps it: the archives before the hour, the hour in the active file.
        var lastHour = data.End.AddHours(-1);
        var events = data.Events().ToList();
        var archived = HistoryWorkload.WriteArchivedHistory(bench, "headline-archives",
            events.Where(e => e.Timestamp < lastHour).ToList(), events.Where(e => e.Timestamp >= lastHour).ToList());
        var archivedFound = 0;
        var onArchives = Sample.Of(bench.Sizes.SlowRounds, () => { var (ms, count) = Side(bench, "headline", archived, 2, since); archivedFound = count; return ms / 1000; });
        if (archivedFound != expected) throw new InvalidOperationException($"the headline query found {archivedFound} nav events on the archives, not {expected}");
        bench.Report.Add(new Row(
            $"{workload} ({expected:N0} found)",
            $"warm: {warm.Median * 1000:F1} ms ({warm.Min * 1000:F1}–{warm.Max * 1000:F1}); on {bench.Sizes.Archives} archives and the hour's active file: {onArchives.Median * 1000:F1} ms",
            $"first query of a session: {first.Median * 1000:F0} ms; the first ever (summarising the file): {unsummarised.Median * 1000:F0} ms",
            $"first/warm {ratio:F1}x",
            target,
            warm.Median <= 0.010 && ratio <= 2));
    }

    public static void ImportAndFirstWrite(Bench bench)
    {
        const string workload = "Import-Module + first Write-ScoutAuditEvent in a fresh pwsh";
        const string target = "report the time";
        if (Unavailable(bench, workload, target)) return;
        var pwsh = bench.Pwsh.Value!;

        var measures = new List<Func<double>>
        {
            () =>
            {
                var log = Path.Combine(bench.NewDirectory("import"), "audit.jsonl");
                var ms = pwsh.WallClockMs("-NoProfile", "-Command", $"Import-Module {Quote(bench.ModulePath!)}; Write-ScoutAuditEvent nav -Cost 0.000003 -Path {Quote(log)}");
                CheckLines(log, 1, "the fresh pwsh");
                return ms;
            },
            // pwsh alone: its own start-up, which the module cannot cut.
            () => pwsh.WallClockMs("-NoProfile", "-Command", "$null"),
        };
        if (bench.Original.Available)
        {
            measures.Add(() =>
            {
                var log = Path.Combine(bench.NewDirectory("import-original"), "audit.jsonl");
                var clock = Stopwatch.StartNew();
                bench.Original.Run("log", log, "1");
                return clock.Elapsed.TotalMilliseconds;
            });
        }
        var samples = Sample.Interleaved(bench.Sizes.Rounds, [.. measures]);
        var (ours, alone) = (samples[0], samples[1]);
        bench.Report.Add(new Row(
            $"{workload} {pwsh.Version}",
            $"{ours.Format("ms", 0)} (dotnet pwsh.dll -NoProfile -Command, process start to exit); pwsh alone, -Command '$null': {alone.Format("ms", 0)}, so the module's share is {ours.Median - alone.Median:F0} ms",
            bench.Original.Available ? $"python3 start + import + first log(): {samples[2].Format("ms", 0)}" : bench.Original.Missing,
            "",
            target,
            null));
    }

    /// <summary>Adds an n/a row and returns true when the module is not built or pwsh not found.</summary>
    private static bool Unavailable(Bench bench, string workload, string target)
    {
        var missing = bench.ModulePath is null ? "n/a: module/ScoutAudit.psd1 not built (dotnet build ScoutAudit.sln)"
            : bench.Pwsh.Value is null ? Pwsh.Missing
            : null;
        if (missing is null) return false;
        bench.Report.Add(new Row(workload, missing, "", "", target, null));
        return true;
    }

    /// <summary>Runs one workload of module-side.ps1 in a fresh <c>dotnet pwsh</c>: the milliseconds it timed, and its count.</summary>
    private static (double Milliseconds, int Count) Side(Bench bench, string workload, string log, int count, string since = "")
    {
        var output = bench.Pwsh.Value!.RunFile(Script, "-Workload", workload, "-Module", bench.ModulePath!, "-Log", log, "-Count", count.ToString(CultureInfo.InvariantCulture), "-Since", since);
        var last = output.Split('\n').Last().Trim().Split(' ');
        return (double.Parse(last[0], CultureInfo.InvariantCulture), int.Parse(last[1], CultureInfo.InvariantCulture));
    }

    private static void CheckLines(string path, int expected, string who)
    {
        var lines = File.ReadLines(path).Count();
        if (lines != expected) throw new InvalidOperationException($"{who} wrote {lines} lines, not {expected}");
    }

    /// <summary>A PowerShell single-quoted string.</summary>
    private static string Quote(string text) => $"'{text.Replace("'", "''")}'";
}
