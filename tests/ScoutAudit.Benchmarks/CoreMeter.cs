using System.Diagnostics;

namespace ScoutAudit.Benchmarks;

/// <summary>The process's CPU time while the measured work ran, and how many cores that kept busy.</summary>
internal sealed class CoreMeter
{
    private double _wallSeconds;

    public double CpuSeconds { get; private set; }

    public double Cores => CpuSeconds / _wallSeconds;

    public void Run(Action work)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        _wallSeconds += clock.Elapsed.TotalSeconds;
        CpuSeconds += (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    }
}
