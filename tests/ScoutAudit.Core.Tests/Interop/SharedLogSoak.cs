using ScoutAudit.Core.Tests.Support;
using Xunit.Abstractions;

namespace ScoutAudit.Core.Tests.Interop;

[CollectionDefinition(nameof(SharedLogSoak), DisableParallelization = true)]
public sealed class SharedLogSoakCollection;

/// <summary>
/// The real mix, for about half a minute: the original tool (the reference model, which holds its
/// file open for its life and rotates by its own size, 256 KiB here: no two of its rotations in one second, which would overwrite its own archive) writing 10 ms apart in two runs
/// with a pause between them, and three ScoutAudit writer processes appending throughout, rotating
/// by size (16 KiB) and on demand every 200 events. While the original holds the file, ScoutAudit's
/// seals wait (RotateDeferred, a RotationFailed warning); when the original rotates, ScoutAudit's
/// lines after its read are carried into the new file; in the pause, ScoutAudit rotates. Every
/// acknowledged event of both tools is read exactly once, and after the original's archives are
/// adopted the integrity check finds no error.
/// </summary>
[Collection(nameof(SharedLogSoak))]
public sealed class SharedLogSoak(ITestOutputHelper output)
{
    private const int OriginalEvents = 1500;
    private const int WriterEvents = 4000;

    [ReferenceModelFact]
    public void BothToolsWritingAndRotatingOneLogLoseAndRepeatNothing()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var writers = Enumerable.Range(0, 3)
            .Select(w => new LoadWriterProcess(path, $"module{w}", WriterEvents, 16 * 1024, rotateEvery: 200, pauseMilliseconds: 8))
            .ToList();
        try
        {
            for (var run = 1; run <= 2; run++)
            {
                ReferenceModel.Run(
                    ["write", "--path", path, "--count", OriginalEvents.ToString(), "--interval", "0.01", "--rotation-bytes", "262144",
                     "--seq-field", "n", "--extra", $"{{\"writer\": \"original{run}\"}}", "--reason", "original"], TimeSpan.FromMinutes(3));
                if (run == 1) Thread.Sleep(TimeSpan.FromSeconds(4)); // ScoutAudit rotates while the original is not running
            }
            foreach (var writer in writers)
            {
                writer.WaitForExit(TimeSpan.FromMinutes(3));
                Assert.True(writer.ExitCode == 0, $"{writer.Writer} exited with {writer.ExitCode}: {writer.Errors}");
                Assert.Equal(WriterEvents, writer.Acknowledged.Count);
            }
        }
        finally
        {
            foreach (var writer in writers) writer.Dispose();
        }

        var (counts, read) = LoadWriterProcess.ReadBack(path);
        foreach (var writer in writers)
            Assert.All(Enumerable.Range(0, WriterEvents), n => Assert.Equal(1, counts.GetValueOrDefault((writer.Writer, (long)n))));
        for (var run = 1; run <= 2; run++)
            Assert.All(Enumerable.Range(1, OriginalEvents), n => Assert.Equal(1, counts.GetValueOrDefault(($"original{run}", (long)n))));
        Assert.Equal(3 * WriterEvents + 2 * OriginalEvents, counts.Values.Sum());
        Assert.Empty(read.Problems);

        var archives = Directory.GetFiles(folder.FullPath, "*.jsonl.gz");
        var chained = ArchiveIndex.ReadLines(new LogFiles(path)).Count(l => l.Kind == IndexLineKind.Archive);
        var carried = writers.Sum(w => Count(w.Errors, "LinesCarried"));
        var deferred = writers.Sum(w => Count(w.Errors, "RotateDeferred") + Count(w.Errors, "RotationFailed"));
        output.WriteLine($"{archives.Length} archives ({chained} made by ScoutAudit, {archives.Length - chained} by the original); " +
                         $"{carried} carries of lines after the original's read; {deferred} rotations deferred while the original held the file");
        Assert.True(chained > 0, "ScoutAudit rotated while the original was not running");
        Assert.True(archives.Length > chained, "the original rotated");
        Assert.All(writers, w => Assert.DoesNotMatch(@"(?m)^(?!LinesCarried|LogReadableByOthers|RotateDeferred|RotationFailed: '.*' is not sealed while another tool)", w.Errors.Trim()));

        using var log = new AuditLog(path);
        log.Adopt(_ => true, (archive, error) => throw new InvalidOperationException(archive, error));
        var findings = new List<IntegrityFinding>();
        var summary = log.Verify(null, findings.Add);
        Assert.True(summary.Errors == 0, string.Join("\n", findings.Where(f => f.Severity == IntegritySeverity.Error).Select(f => $"{f.Kind} {f.Path}: {f.Message}")));
        Assert.Equal("Verified", summary.Status);
    }

    private static int Count(string text, string word) => text.Split('\n').Count(l => l.StartsWith(word, StringComparison.Ordinal));
}
