using System.Diagnostics;
using System.Globalization;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Test-ScoutAuditLog in real pwsh over a history of archives (1 GB of events, rotated at 10 MiB),
/// beside <c>sha256sum</c> of the same files: verifying is reading every byte once, so sha256sum
/// is the floor it is measured against.
/// </summary>
internal static class IntegrityWorkload
{
    private const string Target = "report MB/s beside sha256sum of the same files";

    public static void Verify(Bench bench, Dataset data)
    {
        var historyBytes = bench.Sizes.RotationSegmentBytes * bench.Sizes.Archives;
        var workload = $"Test-ScoutAuditLog over {bench.Sizes.Archives} archives ({historyBytes / 1e9:F2} GB of events) and an active file, in pwsh";
        if (bench.ModulePath is null || bench.Pwsh.Value is null)
        {
            bench.Report.Add(new Row(workload, bench.ModulePath is null ? "n/a: module/ScoutAudit.psd1 not built" : Pwsh.Missing, "", "", Target, null));
            return;
        }
        var log = Path.Combine(bench.NewDirectory("verify"), "audit.jsonl");
        Console.Error.WriteLine($"  writing a history of {historyBytes / 1e6:F0} MB of events for verify");
        WriteHistory(log, data, bench.Sizes.RotationSegmentBytes, historyBytes);
        var files = Directory.GetFiles(Path.GetDirectoryName(log)!, "*.jsonl.gz").Append(log).ToArray();
        var onDisk = files.Sum(f => new FileInfo(f).Length);

        long bytesRead = 0;
        var samples = Sample.Interleaved(bench.Sizes.SlowRounds,
            () =>
            {
                var output = bench.Pwsh.Value.RunFile(ModuleWorkloads.Script, "-Workload", "verify", "-Module", bench.ModulePath, "-Log", log, "-Count", "2", "-Since", "");
                var last = output.Split('\n').Last().Trim().Split(' ');
                bytesRead = long.Parse(last[1], CultureInfo.InvariantCulture);
                return double.Parse(last[0], CultureInfo.InvariantCulture) / 1000;
            },
            () => Sha256Sum(files));
        if (bytesRead != onDisk) throw new InvalidOperationException($"Test-ScoutAuditLog read {bytesRead} bytes of the {onDisk} on disk");

        double MegabytesPerSecond(double seconds) => onDisk / 1e6 / seconds;
        var (ours, peer) = (samples[0], samples[1]);
        bench.Report.Add(new Row(
            workload,
            $"{MegabytesPerSecond(ours.Median):F0} MB/s ({ours.Format("s")} for {onDisk / 1e6:F0} MB on disk, warm)",
            $"sha256sum of the same {files.Length} files: {MegabytesPerSecond(peer.Median):F0} MB/s ({peer.Format("s")})",
            Bench.Times(peer.Median / ours.Median, "the speed of sha256sum"),
            Target,
            null));
    }

    /// <summary>Appends the dataset's events, again and again, until <paramref name="bytes"/> are written, rotating at <paramref name="segmentBytes"/>.</summary>
    private static void WriteHistory(string log, Dataset data, long segmentBytes, long bytes)
    {
        using var writer = new AuditLog(log, new AuditLogOptions { RotationSize = segmentBytes, SyncPolicy = SyncPolicy.Default with { Mode = SyncMode.None } });
        long written = 0;
        while (written < bytes)
        {
            foreach (var e in data.Events())
            {
                written += AuditLineFormatter.Format(e).Length;
                writer.Append(e, redactSecrets: false);
                if (written >= bytes) break;
            }
        }
    }

    /// <summary>Seconds of one <c>sha256sum</c> run over <paramref name="files"/>.</summary>
    private static double Sha256Sum(string[] files)
    {
        var start = new ProcessStartInfo("sha256sum") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var file in files) start.ArgumentList.Add(file);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"sha256sum failed: {process.StandardError.ReadToEnd()}");
        return clock.Elapsed.TotalSeconds;
    }
}
