using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A rotation interrupted at each of its steps, as a crash would leave the files: reading then
/// sees every event exactly once, and the next open of the log (or the next rotation) finishes it.
/// </summary>
public class RotationRecoveryTests
{
    public enum CrashPoint
    {
        AfterSeal,
        DuringCompression,
        AfterArchiveRename,
        AfterIndexEntry,
    }

    private const int Events = 50;

    /// <summary>Writes events, then performs the rotation's steps up to <paramref name="crash"/> and stops there.</summary>
    private static (LogFiles Files, string BaseName) Interrupt(TempFolder folder, CrashPoint crash)
    {
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path))
        {
            for (var i = 0; i < Events; i++) log.Append(new LogEvent("nav", Support.Events.Start.AddSeconds(i), "s") { InputTokens = i });
        }
        var files = new LogFiles(path);
        var baseName = new LogRotation(files, AuditLogOptions.Default).Seal(minimumSize: null)!;
        var sealedPath = files.PathOf(baseName + ArchiveName.SealedSuffix);
        var archivePath = files.PathOf(baseName + ArchiveName.ArchiveSuffix);
        switch (crash)
        {
            case CrashPoint.DuringCompression:
                // Half an archive in the temporary file, as a kill mid-compression leaves it.
                var (whole, _) = ArchiveWriter.Compress(sealedPath, archivePath, CancellationToken.None);
                var bytes = File.ReadAllBytes(whole.Path);
                File.Delete(whole.Path);
                File.WriteAllBytes(archivePath + ".tmp", bytes[..(bytes.Length / 2)]);
                break;
            case CrashPoint.AfterArchiveRename:
                ArchiveWriter.Compress(sealedPath, archivePath, CancellationToken.None);
                break;
            case CrashPoint.AfterIndexEntry:
                ArchiveIndex.AppendArchive(files, ArchiveWriter.Compress(sealedPath, archivePath, CancellationToken.None).Archive, key: null);
                break;
        }
        return (files, baseName);
    }

    private static void AssertEveryEventOnce(string path, int expected = Events)
    {
        var diagnostics = new RecordingDiagnostics();
        var read = Support.Events.ReadAll(path, diagnostics).Select(e => e.InputTokens!.Value).ToList();
        Assert.Equal(Enumerable.Range(0, expected).Select(i => (long)i), read);
        Assert.Empty(diagnostics.Problems);
    }

    private static void AssertFinished(LogFiles files, string baseName)
    {
        Assert.False(File.Exists(files.PathOf(baseName + ArchiveName.SealedSuffix)), "the sealed segment is gone");
        Assert.False(File.Exists(files.PathOf(baseName + ArchiveName.TemporarySuffix)), "no temporary file is left");
        Assert.True(File.Exists(files.PathOf(baseName + ArchiveName.ArchiveSuffix)), "the archive exists");
        var indexed = ArchiveIndex.Read(files);
        Assert.True(indexed.ContainsKey(baseName + ArchiveName.ArchiveSuffix), "the archive is indexed");
        Assert.Single(indexed);
    }

    [Theory]
    [InlineData(CrashPoint.AfterSeal)]
    [InlineData(CrashPoint.DuringCompression)]
    [InlineData(CrashPoint.AfterArchiveRename)]
    [InlineData(CrashPoint.AfterIndexEntry)]
    public void AnInterruptedRotationLosesAndRepeatsNothingWhenRead(CrashPoint crash)
    {
        using var folder = new TempFolder();
        var (files, _) = Interrupt(folder, crash);
        AssertEveryEventOnce(files.Active);
    }

    [Theory]
    [InlineData(CrashPoint.AfterSeal)]
    [InlineData(CrashPoint.DuringCompression)]
    [InlineData(CrashPoint.AfterArchiveRename)]
    [InlineData(CrashPoint.AfterIndexEntry)]
    public void TheNextOpenFinishesAnInterruptedRotation(CrashPoint crash)
    {
        using var folder = new TempFolder();
        var (files, baseName) = Interrupt(folder, crash);

        using (var log = new AuditLog(files.Active))
            log.Append(new LogEvent("nav", Support.Events.Start.AddSeconds(Events), "s") { InputTokens = Events });

        AssertFinished(files, baseName);
        AssertEveryEventOnce(files.Active, Events + 1);
    }

    [Theory]
    [InlineData(CrashPoint.AfterSeal)]
    [InlineData(CrashPoint.DuringCompression)]
    [InlineData(CrashPoint.AfterArchiveRename)]
    [InlineData(CrashPoint.AfterIndexEntry)]
    public void TheNextRotationFinishesAnInterruptedRotation(CrashPoint crash)
    {
        using var folder = new TempFolder();
        var (files, baseName) = Interrupt(folder, crash);

        using (var log = new AuditLog(files.Active)) Assert.Null(log.Rotate()); // nothing new to rotate, but the old one is finished

        AssertFinished(files, baseName);
        AssertEveryEventOnce(files.Active);
    }
}
