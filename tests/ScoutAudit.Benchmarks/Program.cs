using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ScoutAudit.Benchmarks;

// ScoutAudit's benchmarks (issue 5): each workload on ScoutAudit and on its peer in the same run,
// medians over several rounds with min and max, and the ratios against the targets.
//
//   dotnet run -c Release --project tests/ScoutAudit.Benchmarks              the full run (~2 min here)
//   dotnet run -c Release --project tests/ScoutAudit.Benchmarks -- --smoke   tiny sizes, no figures judged (CI)
//   ... -- --markdown results.md                                            also write the table to a file
//   ... -- --only append,scan                                               only the workloads so named
if (args.Length > 0 && args[0] == "--child") return Child(args[1..]);

var smoke = args.Contains("--smoke");
var sizes = smoke ? Sizes.Smoke : Sizes.Full;
var markdownAt = Array.IndexOf(args, "--markdown") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
var only = Array.IndexOf(args, "--only") is var onlyAt and >= 0 && onlyAt + 1 < args.Length ? args[onlyAt + 1].Split(',') : null;
var root = RepositoryRoot();
var work = Path.Combine(Path.GetTempPath(), $"scoutaudit-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var module = root is null ? null : Path.Combine(root, "module", "ScoutAudit.psd1");
var bench = new Bench(sizes, work, OriginalTool.Locate(root), module is not null && File.Exists(module) ? module : null, new Lazy<Pwsh?>(() => Pwsh.Locate(root)), new Report(judge: !smoke));

var total = Stopwatch.StartNew();
try
{
    var data = new Dataset(sizes.DatasetEvents, DateTimeOffset.UtcNow);
    var dataset = Path.Combine(bench.NewDirectory("data"), "audit.jsonl");
    Console.Error.WriteLine($"generating {data.Count:N0} events into {dataset}");
    data.WriteTo(dataset);

    var workloads = new (string Name, Action Run)[]
    {
        ("append", () => AppendWorkloads.Cadence(bench)),
        ("group-commit", () => AppendWorkloads.EveryEventWithFourWriters(bench)),
        ("pipeline", () => ModuleWorkloads.Pipeline(bench)),
        ("runbook", () => ModuleWorkloads.Runbook(bench)),
        ("scan", () => ReadWorkloads.FilteredScan(bench, dataset)),
        ("last", () => ReadWorkloads.LastEvents(bench, dataset)),
        ("pwsh-query", () => ModuleWorkloads.Query(bench, dataset)),
        ("headline", () => ModuleWorkloads.Headline(bench, dataset, data)),
        ("pwsh-count", () => ModuleWorkloads.Count(bench, dataset)),
        ("aggregates", () => ReadWorkloads.Aggregates(bench, dataset, data)),
        ("history", () => HistoryWorkload.LastHourOfALongHistory(bench, data)),
        ("rotation", () => RotationWorkload.WriterDuringRotation(bench, data)),
        ("import", () => ModuleWorkloads.ImportAndFirstWrite(bench)),
        ("verify", () => IntegrityWorkload.Verify(bench, data)),
        ("follow", () => FollowWorkload.Latency(bench)),
        ("forward", () => ForwardWorkload.EventsPerSecond(bench, dataset, data)),
        ("report", () => ReportWorkload.Report(bench, dataset, data)),
        ("redaction", () => RedactionWorkload.Throughput(bench)),
        ("fields", () => ManyFieldsWorkload.ParseAgainstFieldCount(bench)),
    };
    var unknown = only?.Except(workloads.Select(w => w.Name)).ToList();
    if (unknown is { Count: > 0 })
        throw new ArgumentException($"--only: unknown workload(s) {string.Join(", ", unknown)}; the workloads are {string.Join(", ", workloads.Select(w => w.Name))}");
    foreach (var workload in workloads.Where(w => only is null || only.Contains(w.Name)))
    {
        // Each workload starts on a settled heap: what the one before left would otherwise be
        // collected in the background during its timing.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        workload.Run();
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

var machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}"
              + (bench.Pwsh is { IsValueCreated: true, Value: { } pwsh } ? $", pwsh {pwsh.Version} (dotnet pwsh)" : "");
var table = bench.Report.ToMarkdown();
var summary = $"""
    ScoutAudit benchmarks ({(smoke ? "SMOKE run: tiny sizes, figures mean nothing" : "full run")}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {total.Elapsed.TotalSeconds:F0} s
    machine: {machine}
    dataset: {sizes.DatasetEvents:N0} events over 30 days; medians of {sizes.Rounds} rounds ({sizes.SlowRounds} for the original's slow runs), min–max in brackets

    {table}
    """;
Console.WriteLine(summary);
if (markdownAt is not null) File.WriteAllText(markdownAt, summary);
return 0;

static int Child(string[] args)
{
    var output = args[0] switch
    {
        "floor" => ReadWorkloads.FloorPeak(args[1]).ToString(CultureInfo.InvariantCulture),
        "aggregate" => ReadWorkloads.AggregatePeak(args[1], args[2], args[3]).ToString(CultureInfo.InvariantCulture),
        "rotation" => RotationWorkload.MeasureInChild(args[1], long.Parse(args[2], CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"unknown child workload {args[0]}"),
    };
    Console.WriteLine(output);
    return 0;
}

static string? RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "ScoutAudit.sln"))) return directory.FullName;
    }
    return null;
}
