using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Faults seen through the cmdlets: a full disk, an unwritable file, a read-only file system, an
/// unreadable archive, a missing directory. Made for real, as in ScoutAudit.Core.Tests (see
/// <see cref="Privileged"/>): a tmpfs of 64 KiB, the immutable attribute, a read-only remount, and a
/// reader whose file-system user is "nobody".
/// </summary>
public sealed class FaultTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly List<string> _logs = [];

    public void Dispose()
    {
        foreach (var log in _logs) _session.Run("Close-ScoutAuditLog -Path $p", new { p = log });
        _session.Dispose();
    }

    private string Track(string log)
    {
        _logs.Add(log);
        return log;
    }

    private static string[] Lines(string path) => File.ReadAllLines(path);

    [PrivilegedFact]
    public void AFullDiskIsAuditLogWriteFailedAndWritingResumesOnceThereIsSpace()
    {
        using var tmpfs = new Tmpfs(64 * 1024);
        var log = Track(tmpfs.File("audit.jsonl"));

        var result = _session.Run("$ErrorActionPreference = 'Stop'; foreach ($i in 0..200) { Write-ScoutAuditEvent nav -InputTokens $i -Reason ('r' * 1500) -Path $p }", new { p = log });

        var error = result.SingleError();
        Assert.Same(result.Terminating, error);
        Assert.StartsWith("AuditLogWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Equal(log, error.TargetObject);
        Assert.Contains("No space left on device", error.Exception.Message);
        var written = Lines(log).Length;
        Assert.InRange(written, 10, 60);
        Assert.Equal((byte)'\n', File.ReadAllBytes(log)[^1]); // no fragment of the refused event

        tmpfs.Remount(sizeBytes: 1024 * 1024);
        _session.Invoke("Write-ScoutAuditEvent nav -InputTokens 1000 -Path $p", new { p = log });

        var read = _session.Run("Get-ScoutAuditEvent -Path $p", new { p = log });
        Assert.Empty(read.Warnings);
        Assert.Equal([.. Enumerable.Range(0, written).Select(i => (long)i), 1000L], read.Output.Select(e => (long)e.Properties["InputTokens"].Value));
    }

    [PrivilegedFact]
    public void AnUnwritableLogFileIsAuditLogWriteFailedNamingTheFile()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var log = Track(tmpfs.File("audit.jsonl"));
        _session.Invoke("Write-ScoutAuditEvent nav -Path $p; Close-ScoutAuditLog -Path $p", new { p = log });
        var before = File.ReadAllBytes(log);

        using (Privileged.Immutable(log))
        {
            var error = _session.Run("Write-ScoutAuditEvent nav -Path $p", new { p = log }).SingleError();

            Assert.StartsWith("AuditLogWriteFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
            Assert.Equal(log, error.TargetObject);
            Assert.Equal($"The audit log '{log}' cannot be opened for writing: open '{log}' failed: Operation not permitted (errno 1)", error.Exception.Message);
            Assert.NotNull(error.Exception.InnerException);
            Assert.Single(_session.Invoke("Get-ScoutAuditEvent -Path $p", new { p = log }));
            _session.Invoke("Close-ScoutAuditLog -Path $p", new { p = log });
        }
        Assert.Equal(before, File.ReadAllBytes(log));
    }

    [PrivilegedFact]
    public void ALogInAnUnwritableDirectoryIsAuditLogWriteFailed()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        Directory.CreateDirectory(tmpfs.File("logs"));
        var log = Track(tmpfs.File("logs", "audit.jsonl"));

        using (Privileged.Immutable(tmpfs.File("logs")))
        {
            var error = _session.Run("Write-ScoutAuditEvent nav -Path $p", new { p = log }).SingleError();

            Assert.StartsWith("AuditLogWriteFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(log, error.TargetObject);
            Assert.Contains("Operation not permitted", error.Exception.Message);
            _session.Invoke("Close-ScoutAuditLog -Path $p", new { p = log });
        }
        Assert.Empty(Directory.GetFileSystemEntries(tmpfs.File("logs")));
    }

    [PrivilegedFact]
    public void OnAReadOnlyFileSystemWritingAndRotatingFailAndQueriesStillWork()
    {
        using var tmpfs = new Tmpfs(1024 * 1024);
        var log = Track(tmpfs.File("audit.jsonl"));
        _session.Invoke("Write-ScoutAuditEvent nav -Path $p; Write-ScoutAuditEvent brief -Path $p; Close-ScoutAuditLog -Path $p", new { p = log });
        tmpfs.Remount(readOnly: true);
        try
        {
            var write = _session.Run("Write-ScoutAuditEvent nav -Path $p", new { p = log }).SingleError();
            Assert.StartsWith("AuditLogWriteFailed,", write.FullyQualifiedErrorId);
            Assert.Contains("Read-only file system", write.Exception.Message);

            var rotate = _session.Run("Invoke-ScoutAuditRotation -Path $p -Confirm:$false; 'went on'", new { p = log });
            var error = rotate.SingleError();
            Assert.StartsWith("AuditLogRotateFailed,", error.FullyQualifiedErrorId);
            Assert.Null(rotate.Terminating);
            Assert.Equal("went on", Assert.Single(rotate.Output).ToString());

            var read = _session.Run("Get-ScoutAuditEvent -Path $p; Get-ScoutAuditSpend -Path $p", new { p = log });
            Assert.Null(read.Terminating);
            Assert.Empty(read.Errors);
            Assert.Equal(3, read.Output.Count); // two events and a spend row
            _session.Invoke("Close-ScoutAuditLog -Path $p", new { p = log });
        }
        finally
        {
            tmpfs.Remount(readOnly: false);
        }
    }

    [PrivilegedFact]
    public void AnUnreadableArchiveIsAWarningAndTheQueryGoesOn() =>
        OneUnreadableFileIsAWarningAndTheRestIsRead(unreadableArchive: true);

    [PrivilegedFact]
    public void AnUnreadableActiveFileIsAWarningAndTheArchivesAreStillRead() =>
        OneUnreadableFileIsAWarningAndTheRestIsRead(unreadableArchive: false);

    /// <summary>
    /// A log of one archive (InputTokens 1) and an active file (2), all its owner's only (0600); the
    /// reader, another user, is let into every file but one, the archive or the active file.
    /// </summary>
    private void OneUnreadableFileIsAWarningAndTheRestIsRead(bool unreadableArchive)
    {
        if (!OperatingSystem.IsLinux()) return; // the attribute skips it there
        using var tmpfs = new Tmpfs(1024 * 1024);
        var log = Track(tmpfs.File("audit.jsonl"));
        var archive = _session.Invoke("""
            Write-ScoutAuditEvent nav -InputTokens 1 -Path $p
            Invoke-ScoutAuditRotation -Path $p -Confirm:$false
            Write-ScoutAuditEvent nav -InputTokens 2 -Path $p
            Close-ScoutAuditLog -Path $p
            """, new { p = log }).Single().Properties["Path"].Value.ToString()!;
        var (unreadable, readable) = unreadableArchive ? (archive, log) : (log, archive);
        File.SetUnixFileMode(readable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        File.SetUnixFileMode(tmpfs.File("audit.index.jsonl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        RunResult? result = null;
        Privileged.RunAsFileSystemUser(Privileged.Nobody, () => result = RunOnThisThread("Get-ScoutAuditEvent -Path $p", log));

        Assert.Null(result!.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal([unreadableArchive ? 2L : 1L], result.Output.Select(e => (long)e.Properties["InputTokens"].Value));
        var warning = Assert.Single(result.Warnings);
        var what = unreadableArchive ? "archive" : "audit log file";
        Assert.Equal($"The {what} '{unreadable}' cannot be read and was skipped: open '{unreadable}' failed: Permission denied (errno 13)", warning);
    }

    [LinuxFact]
    public void AMissingDirectoryIsCreatedForItsOwnerOnly()
    {
        if (!OperatingSystem.IsLinux()) return; // the attribute skips it there
        using var temp = new TempFolder();
        var log = Track(temp.File("new", "nested", "audit.jsonl"));

        _session.Invoke("Write-ScoutAuditEvent nav -Path $p; Close-ScoutAuditLog -Path $p", new { p = log });

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(temp.File("new")));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(temp.File("new", "nested")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
    }

    /// <summary>
    /// Runs a script in a runspace that executes on the calling thread (the module's default runspaces
    /// run scripts on a thread of their own), so that a thread-local file-system user applies to it.
    /// </summary>
    private static RunResult RunOnThisThread(string script, string log)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([Repository.ModuleManifest]);
        using var runspace = RunspaceFactory.CreateRunspace(new RecordingHost(), state);
        runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("p", log);
        using var shell = System.Management.Automation.PowerShell.Create(runspace);
        shell.AddScript(script);
        ErrorRecord? terminating = null;
        var output = new System.Collections.ObjectModel.Collection<PSObject>();
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException error)
        {
            terminating = error.ErrorRecord;
        }
        return new RunResult(output, [.. shell.Streams.Error], terminating, [.. shell.Streams.Warning.Select(w => w.Message)], [.. shell.Streams.Verbose.Select(v => v.Message)], [.. shell.Streams.Progress]);
    }
}
