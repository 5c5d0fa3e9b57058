using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A disk that fills up, for real: a 64 KiB tmpfs mounted by the test (ENOSPC), and a writer process
/// under a file size limit (ulimit -f, EFBIG, with SIGXFSZ ignored as daemons do). Both cut a write
/// short before they refuse it, so both leave a fragment that the engine must remove.
/// </summary>
public class DiskFullTests
{
    private const int Page = 4096;

    private static LogEvent Numbered(int n, int reasonLength = 1500) =>
        new("nav", Events.Start.AddSeconds(n), "s") { InputTokens = n, Reason = new string('r', reasonLength) };

    /// <summary>Random text: gzip cannot shrink it much, so archiving it needs about as much space as the segment.</summary>
    private static LogEvent Incompressible(int n, Random random)
    {
        var bytes = new byte[1200];
        random.NextBytes(bytes);
        return new LogEvent("nav", Events.Start.AddSeconds(n), "s") { InputTokens = n, Reason = Convert.ToBase64String(bytes) };
    }

    private static List<long> Numbers(string path, RecordingDiagnostics? diagnostics = null) =>
        Events.ReadAll(path, diagnostics).Select(e => e.InputTokens!.Value).ToList();

    [PrivilegedFact]
    public void AFullFileSystemFailsTheAppendWithAuditLogExceptionLeavesNoFragmentAndLoggingResumesOnceThereIsSpace()
    {
        using var tmpfs = new Tmpfs(64 * 1024);
        var path = tmpfs.File("audit.jsonl");
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });

        var written = new List<long>();
        AuditLogException? failure = null;
        long sizeBeforeFailure = 0;
        for (var n = 0; n < 1000 && failure is null; n++)
        {
            sizeBeforeFailure = new FileInfo(path).Exists ? new FileInfo(path).Length : 0;
            try
            {
                log.Append(Numbered(n));
                written.Add(n);
            }
            catch (AuditLogException error)
            {
                failure = error;
            }
        }

        Assert.NotNull(failure);
        Assert.Equal(path, failure.Path);
        Assert.StartsWith($"The event could not be written to '{path}': write failed: No space left on device", failure.Message);
        Assert.IsType<IOException>(failure.InnerException);
        // tmpfs allocates whole pages: the file's last page had room for the start of the refused line,
        // so the kernel wrote that much before ENOSPC. The fragment is gone again.
        Assert.NotEqual(0, sizeBeforeFailure % Page);
        Assert.Equal(sizeBeforeFailure, new FileInfo(path).Length);
        Assert.Equal((byte)'\n', File.ReadAllBytes(path)[^1]);
        var read = new RecordingDiagnostics();
        Assert.Equal(written, Numbers(path, read));
        Assert.Empty(read.Problems);

        // Still full: refused again, the same way, still without a fragment.
        Assert.Throws<AuditLogException>(() => log.Append(Numbered(written.Count)));
        Assert.Equal(sizeBeforeFailure, new FileInfo(path).Length);

        tmpfs.Remount(sizeBytes: 1024 * 1024);
        log.Append(Numbered(written.Count));
        log.Append(Numbered(written.Count + 1));

        Assert.Equal([.. written, written.Count, written.Count + 1], Numbers(path, read));
        Assert.Empty(read.Problems);
        Assert.Empty(diagnostics.Problems);
    }

    /// <summary>
    /// RLIMIT_FSIZE needs no privilege: the writer process runs under <c>ulimit -f 64</c> (64 KiB) with
    /// SIGXFSZ ignored, so the write that crosses the limit returns a short count and the next one EFBIG.
    /// The runtime's W^X double mapping sizes a memory file past any small limit and would fail start-up,
    /// so it is turned off for that process (DOTNET_EnableWriteXorExecute=0).
    /// </summary>
    [LinuxFact]
    public void AFileSizeLimitRefusesTheEventWithoutAFragmentAndTheLogGoesOnWhenTheLimitIsGone()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");

        using (var limited = new LoadWriterProcess(path, "limited", 10_000, 1024L * 1024 * 1024, reasonBytes: 1500, shellPrefix: "export DOTNET_EnableWriteXorExecute=0; trap '' XFSZ; ulimit -f 64"))
        {
            limited.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.Equal(3, limited.ExitCode);
            Assert.False(limited.Finished);
            Assert.Equal("", limited.Errors);
            var failure = limited.Failure;
            Assert.NotNull(failure);
            Assert.Matches($@"^failed {limited.Acknowledged.Count} The event could not be written to '{System.Text.RegularExpressions.Regex.Escape(path)}': write failed: File too large \(errno 27\)$", failure);

            var bytes = File.ReadAllBytes(path);
            Assert.InRange(bytes.Length, 1, 64 * 1024);
            Assert.NotEqual(64 * 1024, bytes.Length); // the line that crossed the limit was partly written, then removed
            Assert.Equal((byte)'\n', bytes[^1]);
            var diagnostics = new RecordingDiagnostics();
            var read = Events.ReadAll(path, diagnostics).Select(e => e.GetExtra("n")!.Value.GetInt32()).ToList();
            Assert.Equal(limited.Acknowledged, read);
            Assert.Empty(diagnostics.Problems);
        }

        using (var unlimited = new LoadWriterProcess(path, "unlimited", 10, 1024L * 1024 * 1024))
        {
            unlimited.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.Equal(0, unlimited.ExitCode);
        }
        var after = new RecordingDiagnostics();
        var events = Events.ReadAll(path, after);
        Assert.Equal(Enumerable.Range(0, 10), events.Where(e => e.GetExtra("writer")!.Value.GetString() == "unlimited").Select(e => e.GetExtra("n")!.Value.GetInt32()));
        Assert.Empty(after.Problems);
    }

    [PrivilegedFact]
    public void ARotationThatRunsOutOfSpaceLosesNothingLeavesNoDebrisAndFinishesOnceThereIsSpace()
    {
        using var tmpfs = new Tmpfs(64 * 1024);
        var path = tmpfs.File("audit.jsonl");
        var random = new Random(2);
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics, RotationSize = null });
        var n = 0;
        while (new FileInfo(path) is var file && (!file.Exists || file.Length < 36 * 1024)) log.Append(Incompressible(n++, random));

        // Sealing only renames; compressing the 36 KiB segment needs about as much again, which is not there.
        var error = Assert.Throws<AuditLogException>(() => log.Rotate());
        Assert.Equal(path, error.Path);
        Assert.Contains("No space left on device", error.Message);

        // Nothing lost, nothing half-made left to eat the little space there is: the log is still writable.
        Assert.Empty(Directory.GetFiles(tmpfs.FullPath, "*.tmp"));
        Assert.Empty(Directory.GetFiles(tmpfs.FullPath, "*.gz"));
        var read = new RecordingDiagnostics();
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), Numbers(path, read));
        Assert.Empty(read.Problems);
        log.Append(Incompressible(n++, random));
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), Numbers(path, read));

        tmpfs.Remount(sizeBytes: 1024 * 1024);
        Assert.NotNull(log.Rotate());
        Assert.Equal(2, log.Archives().Count); // the segment sealed before, and the active file
        Assert.Empty(Directory.GetFiles(tmpfs.FullPath, "audit_*.jsonl"));
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), Numbers(path, read));
        Assert.Empty(read.Problems);
    }

    [PrivilegedFact]
    public void ARotationBySizeThatRunsOutOfSpaceIsReportedAndEveryEventStaysReadable()
    {
        using var tmpfs = new Tmpfs(64 * 1024);
        var path = tmpfs.File("audit.jsonl");
        var random = new Random(3);
        var diagnostics = new RecordingDiagnostics();
        var written = new List<long>();
        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics, RotationSize = 30 * 1024 }))
        {
            for (var n = 0; n < 40; n++)
            {
                try
                {
                    log.Append(Incompressible(n, random));
                    written.Add(n);
                }
                catch (AuditLogException)
                {
                    break; // the disk is full now; what was written must all be there
                }
            }
        } // waits for the background archiving, which found no room

        Assert.Contains(diagnostics.Problems, p => p.Kind == AuditDiagnosticKind.RotationFailed && p.Message.Contains("No space left on device", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(tmpfs.FullPath, "*.tmp"));
        var read = new RecordingDiagnostics();
        Assert.Equal(written, Numbers(path, read));
        Assert.Empty(read.Problems);

        // With room again, the next open archives what was sealed.
        tmpfs.Remount(sizeBytes: 1024 * 1024);
        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics, RotationSize = 30 * 1024 }))
            log.Append(Incompressible(written.Count, random));
        Assert.Empty(Directory.GetFiles(tmpfs.FullPath, "audit_*.jsonl"));
        Assert.NotEmpty(Directory.GetFiles(tmpfs.FullPath, "audit_*.jsonl.gz"));
        Assert.Equal([.. written, written.Count], Numbers(path, read));
        Assert.Empty(read.Problems);
    }
}
