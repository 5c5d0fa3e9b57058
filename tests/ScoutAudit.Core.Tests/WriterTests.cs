using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class WriterTests
{
    [Fact]
    public void AnAppendedEventIsOneCompleteLine()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var e = Events.At(Events.Start, cost: 0.25, model: "m");
        using (var log = new AuditLog(path)) log.Append(e);

        Assert.Equal(AuditLineFormatter.Format(e), File.ReadAllBytes(path));
    }

    [Fact]
    public void TheDirectoryIsCreatedWhenMissing()
    {
        using var folder = new TempFolder();
        var path = folder.File("nested", "deeper", "audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start));
        Assert.Single(File.ReadAllLines(path));
    }

    [Fact]
    public void NewFilesAndDirectoriesAreForTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return; // ACLs are inherited there; the Unix modes are what this checks
        using var folder = new TempFolder();
        var path = folder.File("private", "audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.File("private")));
    }

    [Fact]
    public void AppendingKeepsWhatIsAlreadyThere()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start, "nav"));
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start, "brief"));
        Assert.Equal(["nav", "brief"], Events.ReadAll(path).Select(e => e.Event));
    }

    [Fact]
    public void ManyThreadsAppendWithoutLosingOrTearingAnEvent()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        const int threads = 8, perThread = 500;
        using (var log = new AuditLog(path))
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = 0; i < perThread; i++)
                    log.Append(new LogEvent("nav", Events.Start, $"thread-{t}") { InputTokens = i, Reason = new string('r', i % 97) });
            });
        }

        var diagnostics = new RecordingDiagnostics();
        var events = Events.ReadAll(path, diagnostics);
        Assert.Empty(diagnostics.Problems);
        Assert.Equal(threads * perThread, events.Count);
        Assert.Equal(threads * perThread, events.Select(e => (e.SessionId, e.InputTokens)).Distinct().Count());
    }

    [Fact]
    public void TwoHandlesOnOneFileBothAppendAtTheEnd()
    {
        // Two independent opens behave like two processes: each write must land at the end of
        // the file, not at an offset remembered from before the other handle wrote.
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var first = new AuditLog(path))
        using (var second = new AuditLog(path))
        {
            for (var i = 0; i < 100; i++)
            {
                first.Append(new LogEvent("nav", Events.Start, "first") { InputTokens = i });
                second.Append(new LogEvent("nav", Events.Start, "second") { InputTokens = i });
            }
        }
        var events = Events.ReadAll(path);
        Assert.Equal(200, events.Count);
        Assert.Equal(100, events.Count(e => e.SessionId == "first"));
    }

    [Fact]
    public void ATornLastLineIsTerminatedOnOpenSoTheNextEventStandsAlone()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var whole = AuditLineFormatter.Format(Events.At(Events.Start, "brief"));
        File.WriteAllBytes(path, [.. whole, .. "{\"ts\": \"2026-02-13T14:0"u8]);

        var diagnostics = new RecordingDiagnostics();
        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics }))
            log.Append(Events.At(Events.Start, "nav"));

        Assert.Single(diagnostics.Of(AuditDiagnosticKind.TornTailRepaired));
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Equal("{\"ts\": \"2026-02-13T14:0", lines[1]);
        var read = new RecordingDiagnostics();
        Assert.Equal(["brief", "nav"], Events.ReadAll(path, read).Select(e => e.Event));
        var skipped = Assert.Single(read.Of(AuditDiagnosticKind.LineSkipped));
        Assert.Equal(2, skipped.LineNumber);
    }

    [Fact]
    public void AnEventThatCannotBeWrittenLeavesTheFileUntouched()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using var log = new AuditLog(path);
        log.Append(Events.At(Events.Start));
        var before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => log.Append(new LogEvent("nav", Events.Start, "s") { Reason = new string('x', 2_000_000) }));
        Assert.Throws<ArgumentException>(() => log.Append(new LogEvent("nav", Events.Start, "s") { Extras = [new("n", JsonValues.From(1, "n")), new("x", default)] }));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [LinuxFact]
    public void ALinkToADeviceIsNotALogFile()
    {
        // A link to /dev/full once gave a full disk to test with; a link is no log file (DiskFullTests has a real full disk).
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.CreateSymbolicLink(path, "/dev/full");
        using var log = new AuditLog(path);
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));
        Assert.Equal($"The audit log '{path}' cannot be opened for writing: '{path}' is a symbolic link: ScoutAudit follows no link to a file of a log, " +
                     "since a link there may lead to any file of someone else's choosing.", error.Message);
        Assert.Equal(path, error.Path);
        Assert.IsType<UnsafeFileException>(error.InnerException);
    }

    [Fact]
    public void ADirectoryIsNotALogPath()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => new AuditLog(folder.FullPath));
        Assert.StartsWith($"The audit log path '{folder.FullPath}' is a directory; give the path of a .jsonl file.", error.Message);
    }

    [Fact]
    public void AClosedLogRefusesAppends()
    {
        using var folder = new TempFolder();
        var log = new AuditLog(folder.File("audit.jsonl"));
        log.Append(Events.At(Events.Start));
        log.Dispose();
        Assert.Throws<ObjectDisposedException>(() => log.Append(Events.At(Events.Start)));
        Assert.Single(log.Query());
    }

    [Fact]
    public void TheDefaultPathFollowsScoutAuditPath()
    {
        var saved = Environment.GetEnvironmentVariable("SCOUT_AUDIT_PATH");
        try
        {
            Environment.SetEnvironmentVariable("SCOUT_AUDIT_PATH", "/tmp/elsewhere/audit.jsonl");
            Assert.Equal("/tmp/elsewhere/audit.jsonl", AuditLog.DefaultPath);
            Environment.SetEnvironmentVariable("SCOUT_AUDIT_PATH", null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".scout", "audit.jsonl"), AuditLog.DefaultPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SCOUT_AUDIT_PATH", saved);
        }
    }
}
