using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ScoutAudit.Benchmarks;

/// <summary>The original tool, as modelled by scout_audit_ref.py, run through peer.py in python3.</summary>
internal sealed class OriginalTool(string? modelPath)
{
    /// <summary>Null when the model or python3 is missing; then the peer columns say so.</summary>
    public static OriginalTool Locate(string? repositoryRoot)
    {
        var model = Environment.GetEnvironmentVariable("SCOUT_REFERENCE_MODEL")
                    ?? (repositoryRoot is null ? null : Path.Combine(repositoryRoot, "..", "shared", "reference", "scout_audit_ref.py"));
        return new OriginalTool(model is not null && File.Exists(model) && HasPython() ? Path.GetFullPath(model) : null);
    }

    public bool Available => modelPath is not null;

    public string Missing => "n/a (python3 or ../shared/reference/scout_audit_ref.py missing)";

    /// <summary>Runs one workload; returns its own timing (python's startup excluded) and peak memory.</summary>
    public (double Seconds, long MaxRssKib, JsonElement Result) Run(string workload, string logPath, params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "peer.py"), modelPath!, workload, logPath }.Concat(args))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"peer.py {workload} failed: {errors}");
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        return (root.GetProperty("seconds").GetDouble(), root.GetProperty("max_rss_kib").GetInt64(), root.GetProperty("result").Clone());
    }

    private static bool HasPython()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("python3", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
