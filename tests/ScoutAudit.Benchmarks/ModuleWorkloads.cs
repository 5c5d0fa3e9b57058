using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ScoutAudit.Benchmarks;

/// <summary>Through the PowerShell module, in the engine the tests host (System.Management.Automation 7.6.9).</summary>
internal static class ModuleWorkloads
{
    public static void Pipeline(Bench bench)
    {
        var n = bench.Sizes.PipelineEvents;
        if (bench.ModulePath is null)
        {
            bench.Report.Add(new Row("$events | Write-ScoutAudit", "n/a: module/ScoutAudit.psd1 not built (dotnet build ScoutAudit.sln)", "", "", ">= 1.0x the original's log() loop", null));
            return;
        }
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([bench.ModulePath]);
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        Invoke(runspace, $$"""
            $global:events = foreach ($i in 1..{{n}}) {
                [pscustomobject]@{ Event = 'nav'; Cost = 0.000168; Model = 'llama-3.1-8b'; InputTokens = 1234; OutputTokens = 256
                                   Files = @('src/scout/navigator.py'); Reason = 'navigate to definition'; Confidence = 85; DurationMs = 1234 }
            }
            """);
        string path = "";
        var measures = new List<Func<double>>
        {
            () => Sample.Time(
                () => Invoke(runspace, $"$global:events | Write-ScoutAudit -Path '{path}'; Close-ScoutAuditLog -Path '{path}'"),
                () =>
                {
                    path = Path.Combine(bench.NewDirectory("pipeline"), "audit.jsonl");
                    Invoke(runspace, $"Set-ScoutAuditLog -Path '{path}' -RotationSize 0"); // appends alone, as the original's loop is measured
                }),
        };
        // The peer in alternating rounds (the disk's fsync time drifts).
        if (bench.Original.Available) measures.Add(() => AppendWorkloads.OriginalLoop(bench, n));
        var samples = Sample.Interleaved(bench.Sizes.SlowRounds, [.. measures]);
        var ours = samples[0];
        var lines = File.ReadLines(path).Count();
        if (lines != n) throw new InvalidOperationException($"the pipeline wrote {lines} lines, not {n}");

        if (!bench.Original.Available)
        {
            bench.Report.Add(new Row($"$events | Write-ScoutAudit, {n:N0} objects, default cadence", ours.Format("s"), bench.Original.Missing, "", ">= 1.0x the original's log() loop", null));
            return;
        }
        var original = samples[1];
        var ratio = original.Median / ours.Median;
        bench.Report.Add(new Row(
            $"$events | Write-ScoutAudit, {n:N0} objects, default cadence",
            ours.Format("s"),
            $"original log() loop: {original.Format("s")}",
            Bench.Times(ratio),
            ">= 1.0x the original's log() loop",
            ratio >= 1.0));
    }

    public static void ImportAndFirstWrite(Bench bench)
    {
        if (bench.ModulePath is null)
        {
            bench.Report.Add(new Row("Import-Module + first Write-ScoutAudit, fresh process", "n/a: module not built", "", "", "report", null));
            return;
        }
        var ours = Sample.Of(bench.Sizes.Rounds, () =>
        {
            var log = Path.Combine(bench.NewDirectory("import"), "audit.jsonl");
            return double.Parse(ChildProcess.Run("import", bench.ModulePath, log), CultureInfo.InvariantCulture);
        });
        // The same host without the module: the engine's own start-up, which the module cannot cut
        // (System.Management.Automation from NuGet is not ReadyToRun-compiled; pwsh's is).
        var engine = Sample.Of(bench.Sizes.Rounds, () => double.Parse(ChildProcess.Run("import", "", ""), CultureInfo.InvariantCulture));
        var peer = bench.Original.Missing;
        if (bench.Original.Available)
        {
            var original = Sample.Of(bench.Sizes.Rounds, () =>
            {
                var log = Path.Combine(bench.NewDirectory("import-original"), "audit.jsonl");
                var clock = Stopwatch.StartNew();
                bench.Original.Run("log", log, "1");
                return clock.Elapsed.TotalMilliseconds;
            });
            peer = $"python3 start + import + first log(): {original.Format("ms", 0)}";
        }
        bench.Report.Add(new Row(
            "Import-Module + first Write-ScoutAudit in a fresh process",
            $"{ours.Format("ms", 0)} (process start to first event written); the engine alone, first command Get-Module: {engine.Format("ms", 0)}, so the module's share is {ours.Median - engine.Median:F0} ms",
            peer,
            "",
            "report the time",
            null));
    }

    /// <summary>
    /// In a child process: milliseconds from process start until the first event is written, or
    /// without a module (<paramref name="modulePath"/> empty) until a first Get-Module (a core cmdlet) has run.
    /// </summary>
    public static double ImportInChild(string modulePath, string logPath)
    {
        var state = InitialSessionState.CreateDefault2();
        if (modulePath.Length > 0) state.ImportPSModule([modulePath]);
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        Invoke(runspace, modulePath.Length > 0 ? $"Write-ScoutAudit nav -Cost 0.000003 -Path '{logPath}'" : "$null = Get-Module");
        return (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
    }

    private static void Invoke(Runspace runspace, string script)
    {
        using var shell = System.Management.Automation.PowerShell.Create(runspace);
        shell.AddScript(script);
        shell.Invoke();
        if (shell.HadErrors)
            throw new InvalidOperationException($"'{script}' failed: {string.Join("; ", shell.Streams.Error.Select(e => e.ToString()))}");
    }
}
