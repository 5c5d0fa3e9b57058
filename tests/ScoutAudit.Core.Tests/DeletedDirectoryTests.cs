using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A log whose directory is deleted while a writer holds it open (a test's AfterEach removing its
/// folder, a cleanup job): the next append writes it again as a new log, with the directory and files
/// made as for a new log and one report that the earlier files are gone, and the writer's locks are
/// those of the new files, so that it still excludes another process sealing the new log.
/// </summary>
public class DeletedDirectoryTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;

    private static LogEvent Numbered(int n, string writer = "in-process") =>
        new LogEvent("nav", Events.Start.AddSeconds(n), writer)
        {
            Extras = [new("writer", JsonValues.From(writer, "writer")), new("n", JsonValues.From(n, "n"))],
        };

    [Fact]
    public void AnAppendAfterTheDirectoryWasDeletedWritesTheLogAgainAndSaysSoOnce()
    {
        using var folder = new TempFolder();
        var directory = folder.File("logs");
        var path = Path.Combine(directory, "audit.jsonl");
        var time = new TestClock();
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Time = time, Diagnostics = diagnostics });
        log.Append(Numbered(0));
        time.Advance(TimeSpan.FromSeconds(1)); // the lease ends, as between two commands

        Directory.Delete(directory, recursive: true);
        log.Append(Numbered(1));
        time.Advance(TimeSpan.FromSeconds(1));
        log.Append(Numbered(2));
        log.Flush();

        Assert.Equal([1L, 2], Events.ReadAll(path).Select(e => e.GetExtra("n")!.Value.GetInt64()));
        var report = Assert.Single(diagnostics.Problems);
        Assert.Equal(AuditDiagnosticKind.LogFilesDeleted, report.Kind);
        Assert.Equal(path, report.Path);
        Assert.Contains($"The directory '{directory}' of the audit log '{path}' was deleted", report.Message);
        Assert.Contains("its earlier files are gone", report.Message);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path + ".lock"));
        }
    }

    [Fact]
    public void ADeletedDirectoryIsMadeAgainWithEveryMissingLevelForTheOwnerOnly()
    {
        using var folder = new TempFolder();
        var path = folder.File("a", "b", "audit.jsonl");
        var time = new TestClock();
        using var log = new AuditLog(path, new AuditLogOptions { Time = time });
        log.Append(Numbered(0));
        time.Advance(TimeSpan.FromSeconds(1));

        Directory.Delete(folder.File("a"), recursive: true);
        log.Append(Numbered(1));

        Assert.Single(Events.ReadAll(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(folder.File("a")));
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(folder.File("a", "b")));
        }
    }

    [Fact]
    public void AWriterWhoseDirectoryWasDeletedAndMadeAgainByAnotherProcessExcludesItsSeals()
    {
        using var folder = new TempFolder();
        var directory = folder.File("logs");
        var path = Path.Combine(directory, "audit.jsonl");
        var diagnostics = new RecordingDiagnostics();
        const int events = 4_000;
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics, RotationSize = 64 * 1024 });
        log.Append(Numbered(-1));
        Thread.Sleep(50); // the lease ends
        Directory.Delete(directory, recursive: true);

        // Another process writes the log anew, rotating it often, while this writer, whose lock files
        // were deleted with the directory, appends to the new log: every seal must wait for its appends.
        using var other = new LoadWriterProcess(path, "other", events, rotationBytes: 64 * 1024, rotateEvery: 100);
        other.WaitForAcknowledged(1, TimeSpan.FromSeconds(60));
        for (var n = 0; n < events; n++) log.Append(Numbered(n));
        other.WaitForExit(TimeSpan.FromMinutes(2));
        log.Close();

        Assert.True(other.ExitCode == 0 && other.Finished, $"the other writer exited {other.ExitCode}: {other.Errors}");
        using (var reopened = new AuditLog(path)) reopened.Rotate(); // archives whatever the last seals left
        var (counts, read) = LoadWriterProcess.ReadBack(path);
        Assert.Empty(read.Problems);
        Assert.Equal(2 * events, counts.Count);
        Assert.All(counts, pair => Assert.Equal(1, pair.Value));
        Assert.Empty(LoadWriterProcess.LeftoversOfRotation(directory));
        Assert.DoesNotContain(diagnostics.Problems, p => p.Kind != AuditDiagnosticKind.LogFilesDeleted);
        Assert.Single(diagnostics.Of(AuditDiagnosticKind.LogFilesDeleted));
    }
}
