using System.Diagnostics;
using System.Globalization;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Runs this benchmark program again in a fresh process for one measurement that must not share a
/// process with the others: peak memory, and the rotation's memory and stalls.
/// </summary>
internal static class ChildProcess
{
    public static string Run(params string[] args)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.ArgumentList.Add("--child");
        foreach (var argument in args) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"child {string.Join(' ', args)} failed: {errors}");
        return output.Trim();
    }

    /// <summary>This process's peak resident memory in KiB (VmHWM on Linux).</summary>
    public static long PeakResidentKib()
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1024;
    }
}
