using System.Diagnostics;
using System.Runtime.InteropServices;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Another local user who may write in a log's directory (issue 24): the test process is root, and
/// the attacker's steps run on a thread whose file-system user is "nobody" (<see cref="Privileged"/>).
/// No link, hard link, pre-created file, FIFO, device or held lock of theirs makes the module write,
/// create, truncate or wait forever; a directory they may change is refused for writing unless allowed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedMachineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _logs;
    private readonly string _path;
    private readonly string _victim;

    public SharedMachineTests()
    {
        // A directory every user may write, without the sticky bit (a shared folder), and a file of
        // root's elsewhere that the attacker would like root to write to.
        _logs = _folder.File("shared");
        Directory.CreateDirectory(_logs);
        File.SetUnixFileMode(_logs, (UnixFileMode)0b111_111_111);
        _path = Path.Combine(_logs, "audit.jsonl");
        Directory.CreateDirectory(_folder.File("root"));
        _victim = _folder.Write(Path.Combine("root", "target"), "root's own content\n");
        File.SetUnixFileMode(_victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose() => _folder.Dispose();

    private static AuditLogOptions Shared(RecordingDiagnostics? diagnostics = null, TimeSpan? lockWait = null) => new()
    {
        AllowSharedDirectory = true,
        Diagnostics = diagnostics ?? new RecordingDiagnostics(),
        LockWaitLimit = lockWait ?? CrossProcessLock.DefaultWaitLimit,
    };

    private static void AsAttacker(Action action) => Privileged.RunAsFileSystemUser(Privileged.Nobody, action);

    private void AssertVictimUntouched()
    {
        Assert.Equal("root's own content\n", File.ReadAllText(_victim));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_victim));
    }

    [PrivilegedFact]
    public void ALinkPutInPlaceOfTheLogIsNotFollowed()
    {
        AsAttacker(() => File.CreateSymbolicLink(_path, _victim));

        using var log = new AuditLog(_path, Shared());
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));

        Assert.Contains($"'{_path}' is a symbolic link: ScoutAudit follows no link", error.Message);
        AssertVictimUntouched();
    }

    [PrivilegedFact]
    public void ALogReplacedByALinkMidSessionIsNotFollowedAndTheNextWriteFails()
    {
        using var log = new AuditLog(_path, Shared());
        log.Append(Events.At(Events.Start));
        Thread.Sleep(50); // the writer's lease (2 ms) ends: the next write looks at the path again

        AsAttacker(() =>
        {
            File.Move(_path, Path.Combine(_logs, "moved-away"));
            File.CreateSymbolicLink(_path, _victim);
        });

        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start.AddSeconds(1))));
        Assert.Contains("is a symbolic link", error.Message);
        AssertVictimUntouched();
    }

    [PrivilegedFact]
    public void ALinkedLockFileCreatesNothing()
    {
        var wanted = _folder.File("root", "created-by-root");
        AsAttacker(() => File.CreateSymbolicLink(_path + ".lock", wanted));

        using var log = new AuditLog(_path, Shared());
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));

        Assert.Contains($"'{_path}.lock' is a symbolic link", error.Message);
        Assert.False(File.Exists(wanted));
        Assert.False(File.Exists(_path));
    }

    [PrivilegedTheory]
    [InlineData("audit.jsonl")]
    [InlineData("audit.jsonl.lock")]
    [InlineData("audit.jsonl.seal-intent")]
    public void AFileAnotherUserMadeInPlaceOfALogFileIsNotWritten(string name)
    {
        var theirs = Path.Combine(_logs, name);
        AsAttacker(() =>
        {
            File.WriteAllText(theirs, "");
            File.SetUnixFileMode(theirs, (UnixFileMode)0b110_110_110);
        });

        using var log = new AuditLog(_path, Shared());
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));

        Assert.Contains($"'{theirs}' belongs to user {Privileged.Nobody} (nobody), not to 0 (root) who writes", error.Message);
        Assert.Equal(0, new FileInfo(theirs).Length);
    }

    [PrivilegedFact]
    public void AHardLinkToAnotherFileIsNotWritten()
    {
        // protected_hardlinks stops another user from linking root's files; a second name is refused all the same.
        Assert.Equal(0, link(_victim, _path));

        using var log = new AuditLog(_path, Shared());
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));

        Assert.Contains($"'{_path}' has 2 names (hard links)", error.Message);
        AssertVictimUntouched();
    }

    [LinuxFact]
    public void AFifoInPlaceOfTheLogIsRefusedWithoutWaiting()
    {
        Assert.Equal(0, mkfifo(_path, 0x1B6));

        using var log = new AuditLog(_path, Shared());
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));

        Assert.Contains($"'{_path}' is a FIFO (named pipe), not a regular file", error.Message);
    }

    [PrivilegedFact]
    public void ALockHeldPastTheBoundIsAnErrorNamingItsHolder()
    {
        using (var writer = new AuditLog(_path, Shared())) writer.Append(Events.At(Events.Start));
        using var holder = CrossProcessLock.Open(_path + ".seal-intent");
        using var held = holder.Acquire(exclusive: true);

        using var log = new AuditLog(_path, Shared(lockWait: TimeSpan.FromMilliseconds(300)));
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start.AddSeconds(1))));

        Assert.Contains($"The lock file '{_path}.seal-intent' was held by another for more than 0.3 s (held by process {Environment.ProcessId} (", error.Message);
        Assert.Single(File.ReadAllLines(_path)); // the event was not written, and the caller knows
    }

    [PrivilegedFact]
    public void AQueryTakesNoLockFileAThirdUserPutThereAndHolds()
    {
        using (var writer = new AuditLog(_path, Shared())) writer.Append(Events.At(Events.Start));
        var lockPath = _path + ".lock";
        Microsoft.Win32.SafeHandles.SafeFileHandle? theirs = null;
        AsAttacker(() =>
        {
            File.Delete(lockPath); // the directory lets them: it is shared, without the sticky bit
            theirs = File.OpenHandle(lockPath, FileMode.CreateNew, FileAccess.ReadWrite);
        });
        using (theirs)
        {
            Assert.True(NativeFile.Lock(theirs!, exclusive: true, wait: false)); // held for as long as they like

            using var log = new AuditLog(_path, Shared());
            var read = Task.Run(() => log.Query().Count());

            Assert.True(read.Wait(TimeSpan.FromSeconds(20)), "the query waited on their lock");
            Assert.Equal(1, read.Result);
        }
    }

    [PrivilegedFact]
    public void AQueryAppendsNoHintThroughALinkedIndex()
    {
        // An archive the original made (not in the chain): a query would describe it in the index.
        WriteOriginalArchive();
        AsAttacker(() => File.CreateSymbolicLink(Path.Combine(_logs, "audit.index.jsonl"), _victim));
        var diagnostics = new RecordingDiagnostics();

        using var log = new AuditLog(_path, Shared(diagnostics));
        Assert.Equal(2, log.Query().Count());

        AssertVictimUntouched();
        Assert.Contains(diagnostics.Of(AuditDiagnosticKind.SidecarRefused), d => d.Message.Contains("is a symbolic link"));
    }

    [LinuxTheory]
    [InlineData("audit.index.jsonl")]
    [InlineData("audit.jsonl.blocks")]
    public void AFifoOrDeviceSidecarIsNeverRead(string sidecar)
    {
        WriteOriginalArchive();
        using (var writer = new AuditLog(_path, Shared()))
            for (var i = 0; i < 50; i++) writer.Append(Events.At(Events.Start.AddHours(1).AddSeconds(i)));
        var fifo = Path.Combine(_logs, sidecar);
        Assert.Equal(0, mkfifo(fifo, 0x1B6));

        using var log = new AuditLog(_path, Shared() with { TimeBlockBytes = 512 }); // blocks, and so their sidecar, in use
        var read = Task.Run(() => log.Query(new EventFilter { Since = Events.Start.AddHours(1) }).Count());

        Assert.True(read.Wait(TimeSpan.FromMinutes(1)), "the query waited on the FIFO");
        Assert.Equal(50, read.Result);
    }

    [LinuxFact]
    public void AnIndexLinkedToDevZeroIsNotReadByTheQueryNorByTheVerifier()
    {
        WriteOriginalArchive();
        File.CreateSymbolicLink(Path.Combine(_logs, "audit.index.jsonl"), "/dev/zero");
        var findings = new List<IntegrityFinding>();

        using var log = new AuditLog(_path, Shared());
        Assert.Equal(2, log.Query().Count());
        log.Verify(null, findings.Add);

        Assert.Contains(findings, f => f.Path.EndsWith("audit.index.jsonl", StringComparison.Ordinal) && f.Message.Contains("is a symbolic link"));
    }

    [LinuxFact]
    public void AFifoNamedLikeAnArchiveIsReportedNotWaitedOn()
    {
        WriteOriginalArchive();
        var fifo = Path.Combine(_logs, "audit_20260213_150000.jsonl.gz");
        Assert.Equal(0, mkfifo(fifo, 0x1B6));
        var diagnostics = new RecordingDiagnostics();

        using var log = new AuditLog(_path, Shared(diagnostics));
        var read = Task.Run(() => log.Query().Count());

        Assert.True(read.Wait(TimeSpan.FromMinutes(1)), "the query waited on the FIFO");
        Assert.Equal(2, read.Result);
        Assert.Contains(diagnostics.Problems, d => d.Path == fifo && d.Message.Contains("is a FIFO (named pipe), not a regular file"));

        var findings = new List<IntegrityFinding>();
        var verified = Task.Run(() => log.Verify(null, findings.Add));
        Assert.True(verified.Wait(TimeSpan.FromMinutes(1)), "the verifier waited on the FIFO");
        Assert.Contains(findings, f => f.Path == fifo && f.Message.Contains("is a FIFO (named pipe), not a regular file"));
    }

    [LinuxFact]
    public void AnIndexLongerThanAnIndexMayBeIsNotRead()
    {
        WriteOriginalArchive();
        var index = Path.Combine(_logs, "audit.index.jsonl");
        using (var sparse = File.Create(index)) sparse.SetLength(SidecarFile.IndexLimit + 1); // a hole: no disk, and no byte worth reading
        var diagnostics = new RecordingDiagnostics();

        using var log = new AuditLog(_path, Shared(diagnostics));
        Assert.Equal(2, log.Query().Count());

        var refused = Assert.Single(diagnostics.Of(AuditDiagnosticKind.SidecarRefused));
        Assert.Contains($"is {SidecarFile.IndexLimit + 1} bytes long, more than the {SidecarFile.IndexLimit} bytes a file of its kind may have", refused.Message);
    }

    [PrivilegedFact]
    public void TheVerifierWritesNothingThroughSprayedTemporaryNames()
    {
        using (var writer = new AuditLog(_path, Shared())) writer.Append(Events.At(Events.Start));
        var me = Environment.ProcessId;
        AsAttacker(() =>
        {
            // The names the state's temporary file had before: <log>.verified.<pid>.tmp, for this pid and the next ones.
            for (var pid = me; pid < me + 20; pid++) File.CreateSymbolicLink($"{_path}.verified.{pid}.tmp", _victim);
        });

        using var log = new AuditLog(_path, Shared());
        log.Verify(null, _ => { });

        AssertVictimUntouched();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path + ".verified"));
    }

    [PrivilegedFact]
    public void ADirectoryOthersMayWriteIsRefusedForWritingUnlessAllowed()
    {
        var diagnostics = new RecordingDiagnostics();
        using (var log = new AuditLog(_path, new AuditLogOptions { Diagnostics = diagnostics }))
        {
            var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));
            Assert.Equal($"The audit log '{_path}' is not written: its directory '{_logs}' is not yours alone (every user may write in it (mode 0777, without the sticky bit)), " +
                         "and whoever may change it may put a link or a file of theirs in place of the log's files between two writes. Keep the log in a directory only you may write, " +
                         "or allow this one knowingly (Set-ScoutAuditLog -AllowSharedDirectory; about_ScoutAuditSecurity).", error.Message);
        }
        Assert.Empty(Directory.GetFileSystemEntries(_logs));

        using (var log = new AuditLog(_path, Shared(diagnostics))) log.Append(Events.At(Events.Start));
        Assert.Single(File.ReadAllLines(_path));
        Assert.Contains(diagnostics.Of(AuditDiagnosticKind.SharedDirectory), d => d.Message.Contains("It is allowed for this log"));
    }

    [PrivilegedFact]
    public void AnotherUsersDirectoryIsRefusedForWritingButReadWithAWordOnlyWhenOthersMayChangeIt()
    {
        var theirs = _folder.File("theirs");
        Directory.CreateDirectory(theirs);
        var path = Path.Combine(theirs, "audit.jsonl");
        using (var writer = new AuditLog(path)) writer.Append(Events.At(Events.Start));
        Privileged.ChangeOwner(theirs, Privileged.Nobody);

        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = new RecordingDiagnostics() });
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));
        Assert.Contains($"its directory '{theirs}' is not yours alone (it belongs to user {Privileged.Nobody} (nobody), who may replace any file in it)", error.Message);

        var diagnostics = new RecordingDiagnostics();
        using var reader = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        Assert.Single(reader.Query());
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.SharedDirectory)); // theirs alone: root reads what they wrote
    }

    [LinuxFact]
    public void AStickyDirectoryAndAPrivateGroupAreNotShared()
    {
        File.SetUnixFileMode(_logs, (UnixFileMode)0b1_111_111_111); // 1777, as /tmp
        using (var log = new AuditLog(_path)) log.Append(Events.At(Events.Start));

        var own = _folder.File("own");
        Directory.CreateDirectory(own);
        File.SetUnixFileMode(own, (UnixFileMode)0b111_111_101); // 0775, group root: root alone is in it here
        using (var log = new AuditLog(Path.Combine(own, "audit.jsonl"))) log.Append(Events.At(Events.Start));

        Assert.Single(File.ReadAllLines(_path));
        Assert.Single(File.ReadAllLines(Path.Combine(own, "audit.jsonl")));
    }

    [PrivilegedFact]
    public void AGroupWithOtherMembersIsShared()
    {
        var group = _folder.File("group");
        Directory.CreateDirectory(group);
        File.SetUnixFileMode(group, (UnixFileMode)0b111_111_101);
        Assert.Equal(0, chown(group, 0, Privileged.Nobody)); // group nogroup, the primary group of nobody

        using var log = new AuditLog(Path.Combine(group, "audit.jsonl"));
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));
        Assert.Contains($"(the users of group {Privileged.Nobody} (nogroup) may write in it (mode 0775))", error.Message);
    }

    [LinuxFact]
    public void ALogOthersMayWriteLosesThatPermissionAndOneOthersMayReadIsSaidOnce()
    {
        var own = _folder.File("own");
        Directory.CreateDirectory(own);
        var path = Path.Combine(own, "audit.jsonl");
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110); // 0666, as a umask of 000 makes it
        var diagnostics = new RecordingDiagnostics();

        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics }))
        {
            log.Append(Events.At(Events.Start));
            log.Append(Events.At(Events.Start));
        }

        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(path)); // 0644: read left as the owner chose
        var said = Assert.Single(diagnostics.Of(AuditDiagnosticKind.LogReadableByOthers));
        Assert.Equal($"The audit log '{path}' may be read by every user (mode 0644): its events, costs and reasons are theirs to read. 'chmod 600 {path}' makes it yours alone (ScoutAudit makes its own files so).", said.Message);
    }

    /// <summary>An archive as the original names and makes it (outside the chain), holding two events, and nothing else in the directory.</summary>
    private void WriteOriginalArchive()
    {
        var archive = Path.Combine(_logs, "audit_20260213_140000.jsonl.gz");
        using var file = File.Create(archive);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        gzip.Write("{\"ts\": \"2026-02-13T13:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\"}\n{\"ts\": \"2026-02-13T13:00:01.000Z\", \"event\": \"nav\", \"session_id\": \"s\"}\n"u8);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", SetLastError = true)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int uid, int gid);
}
