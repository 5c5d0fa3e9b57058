using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Logs that cannot be written or read: an immutable file or directory (chattr +i, which binds root
/// too), a missing directory, a directory or a file in the way, a read-only file system (a tmpfs
/// remounted read-only), and an archive its reader may not open (a reader thread whose file-system
/// user is "nobody", see <see cref="Privileged"/>). Each is a clear error naming the path, or, for an
/// unreadable archive, sealed segment or active file in a query, a diagnostic while the query goes on.
/// </summary>
public class PermissionTests
{
    private static LogEvent Numbered(int n) => new("nav", Events.Start.AddSeconds(n), "s") { InputTokens = n };

    private static List<long> Numbers(string path, RecordingDiagnostics? diagnostics = null) =>
        Events.ReadAll(path, diagnostics).Select(e => e.InputTokens!.Value).ToList();

    private static void Write(string path, int from, int count, AuditLogOptions? options = null)
    {
        using var log = new AuditLog(path, options);
        for (var n = from; n < from + count; n++) log.Append(Numbered(n));
    }

    [PrivilegedFact]
    public void AnUnwritableLogFileIsAnAuditLogExceptionAndStaysAsItWas()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var path = tmpfs.File("audit.jsonl");
        Write(path, 0, 3);
        var before = File.ReadAllBytes(path);

        using (Privileged.Immutable(path))
        {
            using var log = new AuditLog(path);
            var error = Assert.Throws<AuditLogException>(() => log.Append(Numbered(3)));

            Assert.Equal(path, error.Path);
            Assert.Equal($"The audit log '{path}' cannot be opened for writing: open '{path}' failed: Operation not permitted (errno 1)", error.Message);
            Assert.IsType<IOException>(error.InnerException);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal([0L, 1, 2], Numbers(path)); // still readable
        }
    }

    [PrivilegedFact]
    public void ALogInAnUnwritableDirectoryIsAnAuditLogExceptionNamingWhatCouldNotBeCreated()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var directory = tmpfs.File("logs");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "audit.jsonl");

        using (Privileged.Immutable(directory))
        {
            using var log = new AuditLog(path);
            var error = Assert.Throws<AuditLogException>(() => log.Append(Numbered(0)));

            Assert.Equal(path, error.Path);
            Assert.Equal($"The audit log '{path}' cannot be opened for writing: no file can be created in '{directory}' (Operation not permitted).", error.Message);
            Assert.Contains($"'{path}.lock'", error.InnerException!.Message); // the call that failed, for whoever digs
            Assert.Empty(Directory.GetFileSystemEntries(directory));
        }
    }

    [LinuxFact]
    public void APlaceWhereNoFileCanBeMadeIsSaidOfTheLogNotOfALockFile()
    {
        using var log = new AuditLog("/proc/scoutaudit-test.jsonl");

        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));

        Assert.Equal("The audit log '/proc/scoutaudit-test.jsonl' cannot be opened for writing: no file can be created in '/proc' (No such file or directory).", error.Message);
        Assert.Equal("/proc/scoutaudit-test.jsonl", error.Path);
    }

    [PrivilegedFact]
    public void AnExistingLogInADirectoryThatBecameUnwritableKeepsAppendingAndReportsThatItCannotRotate()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var path = tmpfs.File("logs", "audit.jsonl");
        Write(path, 0, 10);
        var diagnostics = new RecordingDiagnostics();

        using (Privileged.Immutable(tmpfs.File("logs")))
        {
            using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics, RotationSize = 1024 });
            for (var n = 10; n < 50; n++) log.Append(Numbered(n)); // the file is over the rotation size: every append would rotate
        }

        var failed = Assert.Single(diagnostics.Problems); // once, then rotation waits a minute before it tries again
        Assert.Equal(AuditDiagnosticKind.RotationFailed, failed.Kind);
        // Recording the seal in the chain is what the directory refuses first, before any rename.
        Assert.StartsWith($"'{path}' could not be rotated; it goes on growing, and rotation is tried again in 1 minute(s): ", failed.Message);
        Assert.Contains("Operation not permitted", failed.Message);
        Assert.Equal(Enumerable.Range(0, 50).Select(n => (long)n), Numbers(path));
    }

    [PrivilegedFact]
    public void AMissingDirectoryThatCannotBeCreatedIsAnAuditLogException()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var path = tmpfs.File("parent", "missing", "audit.jsonl");
        Directory.CreateDirectory(tmpfs.File("parent"));

        using (Privileged.Immutable(tmpfs.File("parent")))
        {
            using var log = new AuditLog(path);
            var error = Assert.Throws<AuditLogException>(() => log.Append(Numbered(0)));

            Assert.Equal(path, error.Path);
            Assert.StartsWith($"The audit log '{path}' cannot be opened for writing: ", error.Message);
            Assert.Contains(tmpfs.File("parent", "missing"), error.Message);
            Assert.False(Directory.Exists(tmpfs.File("parent", "missing")));
        }
    }

    [Fact]
    public void AMissingDirectoryIsCreatedAndAMissingLogReadsAsEmpty()
    {
        using var folder = new TempFolder();
        var path = folder.File("a", "b", "audit.jsonl");

        var diagnostics = new RecordingDiagnostics();
        Assert.Empty(Events.ReadAll(path, diagnostics));
        Assert.Empty(diagnostics.Problems);
        Assert.False(Directory.Exists(folder.File("a")), "reading creates nothing");

        Write(path, 0, 1);
        Assert.Equal([0L], Numbers(path));
    }

    [Fact]
    public void AFileWhereTheDirectoryShouldBeIsAnAuditLogException()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("not-a-directory"), "");
        var path = folder.File("not-a-directory", "audit.jsonl");

        using var log = new AuditLog(path);
        var error = Assert.Throws<AuditLogException>(() => log.Append(Numbered(0)));

        Assert.Equal(path, error.Path);
        Assert.StartsWith($"The audit log '{path}' cannot be opened for writing: ", error.Message);
        Assert.Equal("", File.ReadAllText(folder.File("not-a-directory")));
    }

    [Fact]
    public void ADirectoryGivenAsTheLogIsRefusedBeforeAnythingIsTouched()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => new AuditLog(folder.FullPath + Path.DirectorySeparatorChar));

        Assert.Equal("path", error.ParamName);
        Assert.Contains("is a directory", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.FullPath));
    }

    [PrivilegedFact]
    public void OnAReadOnlyFileSystemWritingAndRotatingFailClearlyAndReadingStillWorks()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var path = tmpfs.File("audit.jsonl");
        Write(path, 0, 5);
        using (var log = new AuditLog(path)) Assert.NotNull(log.Rotate());
        Write(path, 5, 5);
        tmpfs.Remount(readOnly: true);
        try
        {
            using var log = new AuditLog(path);
            var write = Assert.Throws<AuditLogException>(() => log.Append(Numbered(10)));
            Assert.Equal(path, write.Path);
            Assert.Contains("Read-only file system", write.Message);

            var rotate = Assert.Throws<AuditLogException>(() => log.Rotate());
            Assert.Equal(path, rotate.Path);
            Assert.Contains("Read-only file system", rotate.Message);

            var diagnostics = new RecordingDiagnostics();
            Assert.Equal(Enumerable.Range(0, 10).Select(n => (long)n), Numbers(path, diagnostics));
            Assert.Empty(diagnostics.Problems);
        }
        finally
        {
            tmpfs.Remount(readOnly: false);
        }
    }

    [PrivilegedFact]
    public void AnUnreadableArchiveIsReportedAndTheRestOfTheQueryGoesOn()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var path = tmpfs.File("audit.jsonl");
        Write(path, 0, 5);
        ArchiveDescription unreadable, readable;
        using (var log = new AuditLog(path)) unreadable = log.Rotate()!;
        Write(path, 5, 5);
        using (var log = new AuditLog(path)) readable = log.Rotate()!;
        Write(path, 10, 5);
        // Everything is the owner's only (0600); the reader, another user, is let into all but the first archive.
        if (!OperatingSystem.IsLinux()) return; // the attribute skips it there
        foreach (var file in new[] { path, readable.Path, tmpfs.File("audit.index.jsonl") })
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var diagnostics = new RecordingDiagnostics();
        List<long> read = [];
        Privileged.RunAsFileSystemUser(Privileged.Nobody, () => read = Numbers(path, diagnostics));

        Assert.Equal(Enumerable.Range(5, 10).Select(n => (long)n), read);
        var problem = Assert.Single(diagnostics.Problems);
        Assert.Equal(AuditDiagnosticKind.ArchiveDamaged, problem.Kind);
        Assert.Equal(unreadable.Path, problem.Path);
        Assert.Equal($"The archive '{unreadable.Path}' cannot be read and was skipped: open '{unreadable.Path}' failed: Permission denied (errno 13)", problem.Message);
    }

    [PrivilegedFact]
    public void AnUnreadableActiveFileOrSealedSegmentIsReportedAndTheRestOfTheQueryGoesOn()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var path = tmpfs.File("audit.jsonl");
        Write(path, 0, 5);
        using (var log = new AuditLog(path)) log.Rotate();
        // A sealed segment awaiting compression (sealed as a writer seals it, its seal recorded), then the active file.
        Write(path, 5, 5);
        var sealedSegment = tmpfs.File(new LogRotation(new LogFiles(path), AuditLogOptions.Default).Seal(minimumSize: null)! + ArchiveName.SealedSuffix);
        // Written elsewhere and moved in: opening a writer on the log would finish the sealed segment's rotation.
        var next = tmpfs.File("next.jsonl");
        Write(next, 10, 5);
        File.Move(next, path);
        if (!OperatingSystem.IsLinux()) return; // the attribute skips it there
        var readable = Directory.GetFiles(Path.GetDirectoryName(path)!, "audit_*.jsonl.gz").Append(tmpfs.File("audit.index.jsonl"));

        // First the sealed segment is the owner's only (0600), then the active file.
        foreach (var (unreadable, expected) in new[] { (sealedSegment, new long[] { 0, 1, 2, 3, 4, 10, 11, 12, 13, 14 }), (path, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) })
        {
            foreach (var file in readable.Append(sealedSegment).Append(path))
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | (file == unreadable ? 0 : UnixFileMode.GroupRead | UnixFileMode.OtherRead));
            var diagnostics = new RecordingDiagnostics();
            List<long> read = [];

            Privileged.RunAsFileSystemUser(Privileged.Nobody, () => read = Numbers(path, diagnostics));

            Assert.Equal(expected, read);
            var problem = Assert.Single(diagnostics.Problems);
            Assert.Equal(AuditDiagnosticKind.FileUnreadable, problem.Kind);
            Assert.Equal(unreadable, problem.Path);
            Assert.Equal($"The audit log file '{unreadable}' cannot be read and was skipped: open '{unreadable}' failed: Permission denied (errno 13)", problem.Message);
        }
    }
}
