using System.Diagnostics;
using System.Text.RegularExpressions;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Get-ScoutAuditEvent -Wait in real pwsh beside <c>tail -F</c> on the same log: this process
/// appends events 20 ms apart (rotating every 4 KiB, about every 40 events), both followers print each event's line to a
/// pipe as it comes, and the latency of each event is the time from just before its Append to its
/// line reaching this process. Then both sit idle, and the CPU each spends waiting is measured.
/// </summary>
internal static partial class FollowWorkload
{
    private const string Target = "an event shows within 250 ms of its write; next to no CPU idle";
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(20);

    public static void Latency(Bench bench)
    {
        var events = bench.Sizes.Rounds * 60;
        var workload = $"Get-ScoutAuditEvent -Wait latency, {events} events 20 ms apart with rotations, in pwsh";
        if (bench.ModulePath is null || bench.Pwsh.Value is not { } pwsh)
        {
            bench.Report.Add(new Row(workload, bench.ModulePath is null ? "n/a: module/ScoutAudit.psd1 not built" : Pwsh.Missing, "", "", Target, null));
            return;
        }
        var log = Path.Combine(bench.NewDirectory("follow"), "audit.jsonl");
        using var writer = new AuditLog(log, new AuditLogOptions { RotationSize = 4 * 1024 });
        writer.Append(new LogEvent("nav") { Reason = "start" });
        var script = $"Import-Module '{bench.ModulePath}'; Get-ScoutAuditEvent -Path '{log}' -Wait | ForEach-Object {{ [Console]::Out.WriteLine($_.Reason); [Console]::Out.Flush() }}";
        using var ours = new Follower("dotnet", [pwsh.Dll, "-NoProfile", "-NonInteractive", "-Command", script], line => line);
        using var tail = new Follower("tail", ["-n", "1", "-F", log], line => ReasonOf().Match(line) is { Success: true } m ? m.Groups[1].Value : null);
        if (!ours.WaitFor("start", TimeSpan.FromSeconds(60)) || !tail.WaitFor("start", TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException($"the followers did not start: {ours.Errors} {tail.Errors}");

        var written = new long[events];
        for (var i = 0; i < events; i++)
        {
            written[i] = Stopwatch.GetTimestamp();
            writer.Append(new LogEvent("nav") { Reason = $"e{i}" });
            Thread.Sleep(Spacing);
        }
        ours.WaitFor($"e{events - 1}", TimeSpan.FromSeconds(10));
        tail.WaitFor($"e{events - 1}", TimeSpan.FromSeconds(5));
        var (ourLatency, ourMissing) = ours.Latencies(written);
        var (tailLatency, tailMissing) = tail.Latencies(written);
        if (ourMissing > 0) throw new InvalidOperationException($"Get-ScoutAuditEvent -Wait missed {ourMissing} of {events} events");

        // Both idle at once, after a pause for pwsh's background compilation to settle: the CPU each spends per second while nothing is written.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var (ourCpu, tailCpu, idle) = (ours.Cpu, tail.Cpu, Stopwatch.StartNew());
        Thread.Sleep(TimeSpan.FromSeconds(bench.Sizes.Rounds));
        var ourIdle = (ours.Cpu - ourCpu).TotalMilliseconds / idle.Elapsed.TotalSeconds;
        var tailIdle = (tail.Cpu - tailCpu).TotalMilliseconds / idle.Elapsed.TotalSeconds;
        bench.Report.Add(new Row(
            workload,
            $"median {Percentile(ourLatency, 0.5):F1} ms, p99 {Percentile(ourLatency, 0.99):F1} ms, max {ourLatency.Max():F1} ms; idle {ourIdle:F2} ms CPU/s",
            $"tail -F of the same file: median {Percentile(tailLatency, 0.5):F1} ms, p99 {Percentile(tailLatency, 0.99):F1} ms"
            + (tailMissing > 0 ? $", {tailMissing} events missed across rotations" : "") + $"; idle {tailIdle:F2} ms CPU/s",
            $"p99 {Percentile(ourLatency, 0.99) / 250:P0} of the 250 ms allowed",
            Target,
            Percentile(ourLatency, 0.99) <= 250));
        writer.Close();
        Console.Error.WriteLine($"  follow: {writer.Archives().Count} archives made during the run");
    }

    private static double Percentile(IReadOnlyList<double> values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }

    [GeneratedRegex("\"reason\": \"([^\"]*)\"")]
    private static partial Regex ReasonOf();

    /// <summary>A child process whose stdout lines are timed as they arrive, each read as an event's reason.</summary>
    private sealed class Follower : IDisposable
    {
        private readonly Process _process;
        private readonly Dictionary<string, long> _seen = [];
        private readonly Task _reading;
        private readonly Task<string> _errors;

        public Follower(string program, string[] arguments, Func<string, string?> reasonOf)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            _process = Process.Start(start)!;
            _errors = _process.StandardError.ReadToEndAsync();
            _reading = Task.Run(() =>
            {
                while (_process.StandardOutput.ReadLine() is { } line)
                {
                    var at = Stopwatch.GetTimestamp();
                    if (reasonOf(line) is not { } reason) continue;
                    lock (_seen) _seen.TryAdd(reason, at);
                }
            });
        }

        public string Errors => _errors.IsCompleted ? _errors.Result : "";

        public bool WaitFor(string reason, TimeSpan timeout) => SpinWait.SpinUntil(() => { lock (_seen) return _seen.ContainsKey(reason); }, timeout);

        /// <summary>Each event's latency in ms (from just before its write), and how many were never seen.</summary>
        public (List<double> Latencies, int Missing) Latencies(long[] written)
        {
            var latencies = new List<double>();
            var missing = 0;
            lock (_seen)
            {
                for (var i = 0; i < written.Length; i++)
                {
                    if (_seen.TryGetValue($"e{i}", out var at)) latencies.Add(Stopwatch.GetElapsedTime(written[i], at).TotalMilliseconds);
                    else missing++;
                }
            }
            return (latencies, missing);
        }

        /// <summary>The CPU time the process has used so far.</summary>
        public TimeSpan Cpu
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _reading.Wait();
            _process.Dispose();
        }
    }
}
