using System.Text.Json;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// The original tool keeps its log open for the life of its AuditLog object and appends through that
/// handle (the model's <c>write --interval</c> does the same). ScoutAudit rotating the shared log by
/// rename used to send the original's next lines into the sealed segment, then to an unlinked file
/// once that was archived: 264 of 300 of its events were lost at a 16 KB rotation size. A seal now
/// waits while a process that is not a ScoutAudit writer holds the file open for writing.
/// </summary>
public sealed class RotationBesideARunningOriginal
{
    [ReferenceModelFact]
    public void NoEventOfARunningOriginalIsLostToScoutAuditsRotation()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var diagnostics = new RecordingDiagnostics();
        var original = Task.Run(() => ReferenceModel.Run(
            ["write", "--path", path, "--count", "300", "--interval", "0.01", "--reason", "original", "--seq-field", "n"], TimeSpan.FromMinutes(2)));
        // The model holds the file from its first line on: wait for it, so that the module's seals
        // come while it runs however slowly python starts on a loaded machine.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(File.Exists(path) && File.ReadAllText(path).Contains("\"original\"", StringComparison.Ordinal)))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60) && !original.IsCompleted, "the model never wrote its first line");
            Thread.Sleep(10);
        }
        var padding = new string('x', 150);
        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = 16 * 1024, Diagnostics = diagnostics }))
        {
            for (var n = 0; n < 300; n++)
            {
                log.Append(new LogEvent("nav") { Reason = "module " + padding, Extras = [new("n", JsonValues.From(n, "n"))] });
                Thread.Sleep(10);
            }
            original.Wait(TimeSpan.FromMinutes(2));
            log.Rotate(); // the original has closed the file: rotation goes on
        }

        var events = Events.ReadAll(path);
        var originals = events.Where(e => e.Reason == "original").Select(Number).Order().ToList();
        var ours = events.Where(e => e.Reason!.StartsWith("module", StringComparison.Ordinal)).Select(Number).Order().ToList();

        Assert.Equal(Enumerable.Range(1, 300).Select(n => (long)n), originals);
        Assert.Equal(Enumerable.Range(0, 300).Select(n => (long)n), ours);
        var deferred = Assert.Single(diagnostics.Of(AuditDiagnosticKind.RotationFailed));
        Assert.Contains("python", deferred.Message);
        Assert.NotEmpty(Directory.GetFiles(folder.FullPath, "*.jsonl.gz"));
    }

    private static long Number(LogEvent e) => e.GetExtra("n")!.Value.GetInt64();
}
