namespace ScoutAudit.Benchmarks;

/// <summary>Sizes of one run: the full benchmark, or a smoke run with tiny sizes that only proves it still works.</summary>
internal sealed record Sizes(int DatasetEvents, int AppendEvents, int EveryEventEvents, int PipelineEvents, int RunbookEvents, int QueryLines, int Archives, int Rounds, int SlowRounds, long RotationSegmentBytes)
{
    public static Sizes Full { get; } = new(1_000_000, 100_000, 8_000, 100_000, 20_000, 100_000, 100, 5, 3, 10 * 1024 * 1024);

    public static Sizes Smoke { get; } = new(2_000, 500, 100, 200, 50, 500, 5, 1, 1, 256 * 1024);
}

/// <summary>Shared context of the workloads.</summary>
/// <param name="Pwsh">The real pwsh of the tool manifest, located on first use; null when it is not restored.</param>
internal sealed record Bench(Sizes Sizes, string Work, OriginalTool Original, string? ModulePath, Lazy<Pwsh?> Pwsh, Report Report)
{
    public string NewDirectory(string name)
    {
        var path = Path.Combine(Work, name);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        return path;
    }

    public static string Times(double ratio, string what = "faster") => $"{ratio:F2}x {what}";
}
