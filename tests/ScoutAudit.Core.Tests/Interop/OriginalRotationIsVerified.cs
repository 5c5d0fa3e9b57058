using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// The original tool, sharing a chained log, rotates it as it does (the whole active file gzipped
/// under its naming, the file deleted, a new one begun): after a verification that saw the active
/// file, Test-ScoutAuditLog takes that for what it is, a warning and no error, and -Adopt chains it.
/// TamperTests.TheOriginalRotatingASharedLogIsAWarningAndAdoptable makes the same files by hand
/// where the model cannot run; this runs the model itself.
/// </summary>
public sealed class OriginalRotationIsVerified
{
    [ReferenceModelFact]
    public void TheOriginalRotatingAChainedLogIsAWarningAndAdoptable()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = null }))
        {
            for (var a = 0; a < 3; a++)
            {
                log.Append(new LogEvent("nav", DateTimeOffset.UtcNow, "s") { Cost = 1 });
                log.Rotate();
            }
            for (var e = 0; e < 4; e++) log.Append(new LogEvent("deep", DateTimeOffset.UtcNow, "s"));
        }
        var (before, _) = Verify(path);
        var archivesBefore = Directory.GetFiles(folder.FullPath, "*.jsonl.gz").Length;

        // The active file is over 100 bytes: the model rotates before it writes its event.
        ReferenceModel.Run("write", path, "--count", "1", "--reason", "original", "--rotation-bytes", "100");
        var (rotated, rotatedSummary) = Verify(path);
        var (again, againSummary) = Verify(path);
        using (var log = new AuditLog(path)) log.Adopt(_ => true, (_, error) => throw error);
        var (adopted, adoptedSummary) = Verify(path);

        Assert.Empty(before);
        Assert.Equal(archivesBefore + 1, Directory.GetFiles(folder.FullPath, "*.jsonl.gz").Length);
        Assert.Equal(("Unchained", 0), (rotatedSummary.Status, rotatedSummary.Errors));
        Assert.Equal([IntegrityFindingKind.ArchiveUnchained], rotated.Select(f => f.Kind));
        Assert.Equal(("Unchained", 0), (againSummary.Status, againSummary.Errors));
        Assert.Single(again);
        Assert.Empty(adopted);
        Assert.Equal("Verified", adoptedSummary.Status);
        Assert.Equal(4 + 3 + 1, Events.ReadAll(path).Count);
    }

    private static (List<IntegrityFinding> Findings, LogVerificationSummary Summary) Verify(string path)
    {
        var findings = new List<IntegrityFinding>();
        using var log = new AuditLog(path, new AuditLogOptions { RotationSize = null });
        return (findings, log.Verify(null, findings.Add));
    }
}
