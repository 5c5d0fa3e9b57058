using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>Archives the original makes when it rotates (Fixtures/original_rotation, or made live) are part of the history Core reads.</summary>
public sealed class OriginalRotationIsRead
{
    private static void AssertReadsTheWholeHistory(string logPath, int runs)
    {
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(logPath, new AuditLogOptions { Diagnostics = diagnostics });
        Assert.True(log.Archives().Count >= 1, "the original rotated at least once");
        Assert.All(log.Archives(), a => Assert.Null(a.Sha256)); // the original keeps no index: read by scanning

        var events = log.Query().ToList();

        Assert.Empty(diagnostics.Problems);
        var expected = Enumerable.Range(1, runs).SelectMany(run => Enumerable.Repeat($"run {run}", 6)).ToList();
        Assert.Equal(expected, events.Select(e => e.Reason));
        // The first read gave them index entries: the same answer again, and a window after them skips them all.
        Assert.All(log.Archives(), a => Assert.NotNull(a.Sha256));
        Assert.Equal(expected, log.Query().Select(e => e.Reason));
        var afterArchives = log.Archives().Max(a => a.LastTimestamp)!.Value.AddMilliseconds(1);
        var skipped = diagnostics.Of(AuditDiagnosticKind.ArchiveSkipped).Count;
        Assert.Equal(events.Count(e => e.Timestamp >= afterArchives), log.Query(new EventFilter { Since = afterArchives }).Count());
        Assert.Equal(log.Archives().Count, diagnostics.Of(AuditDiagnosticKind.ArchiveSkipped).Count - skipped);
        Assert.Empty(diagnostics.Problems);
    }

    [Fact]
    public void TheOriginalsArchivesAndActiveFileAreReadInOrder()
    {
        using var folder = new TempFolder();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "original_rotation")))
            File.Copy(file, folder.File(Path.GetFileName(file)));
        AssertReadsTheWholeHistory(folder.File("audit.jsonl"), runs: 3);
    }

    [ReferenceModelFact]
    public void ArchivesTheModelMakesNowAreRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        for (var run = 1; run <= 2; run++)
        {
            ReferenceModel.Run("write", path, "--count", "6", "--reason", $"run {run}", "--cost", "0.000003", "--rotation-bytes", "1500");
            if (run == 1) Thread.Sleep(1200); // the original names archives to the second and would overwrite
        }
        AssertReadsTheWholeHistory(path, runs: 2);
    }
}
