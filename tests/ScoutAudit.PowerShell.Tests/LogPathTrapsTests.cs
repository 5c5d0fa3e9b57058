using System.Management.Automation;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Small traps a new user walks into: a rotation size without its unit, an archive given as -Path,
/// a log's other files (index, locks, sidecars) piped in with its listing, and a place where no file
/// can be made. Each works, or is refused with a message that says what to write instead.
/// </summary>
public sealed class LogPathTrapsTests : ModuleLogTest
{
    private static string Shown(ErrorRecord error) => error.ErrorDetails?.Message ?? error.Exception.Message;

    /// <summary>Three events in the log, rotated into an archive, then two more in the active file; the archive's path.</summary>
    private string LogWithAnArchive()
    {
        Session.Invoke("""
            'a1', 'a2', 'a3' | ForEach-Object { Write-ScoutAuditEvent $_ -Cost 0.5 -Path $p }
            $null = Invoke-ScoutAuditRotation -Path $p -Confirm:$false
            'b1', 'b2' | ForEach-Object { Write-ScoutAuditEvent $_ -Cost 0.25 -Path $p }
            Close-ScoutAuditLog -Path $p
            """, new { p = Log });
        return Assert.Single(Directory.GetFiles(Temp.FullPath, "audit_*.jsonl.gz"));
    }

    [Theory]
    [InlineData("10", "10 bytes is below the minimum of 4 KB; did you mean 10MB?")]
    [InlineData("500", "500 bytes is below the minimum of 4 KB; did you mean 500MB?")]
    [InlineData("4095", "4095 bytes is below the minimum of 4 KB; did you mean 4095KB?")]
    public void ARotationSizeBelowTheMinimumIsRefusedSuggestingTheUnit(string size, string message)
    {
        var error = Session.Run($"Set-ScoutAuditLog -Path $p -RotationSize {size}", new { p = Log }).SingleError();

        Assert.StartsWith("InvalidLogSetting,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(long.Parse(size, System.Globalization.CultureInfo.InvariantCulture), error.TargetObject);
        Assert.Equal($"Cannot validate argument on parameter 'RotationSize'. {message} Give 0 or $null to never rotate by size.", Shown(error));
        Assert.Equal(10L * 1024 * 1024, Session.Invoke("(Get-ScoutAuditLog -Path $p).RotationSize", new { p = Log })[0].BaseObject);
    }

    [Fact]
    public void TheMinimumRotationSizeItselfIsTaken()
    {
        var set = Assert.Single(Session.Invoke("Set-ScoutAuditLog -Path $p -RotationSize 4KB -PassThru", new { p = Log }));

        Assert.Equal(4096L, set.Properties["RotationSize"].Value);
    }

    [Fact]
    public void AnArchiveGivenAsPathIsReadAsThatArchiveAlone()
    {
        var archive = LogWithAnArchive();

        var result = Session.Run("Get-ScoutAuditEvent -Path $a", new { a = archive });
        var whole = Session.Invoke("Get-ScoutAuditEvent -Path $p", new { p = Log });

        Assert.Null(result.Terminating);
        Assert.Empty(result.Warnings);
        Assert.Equal(["a1", "a2", "a3"], result.Output.Select(e => (string)e.Properties["Event"].Value));
        // The ids are those the events have in their log, so -After works across both.
        Assert.Equal(whole.Take(3).Select(e => e.Properties["Id"].Value), result.Output.Select(e => e.Properties["Id"].Value));
    }

    [Fact]
    public void SpendAndAccuracyOfAnArchiveAreThoseOfItsEventsAlone()
    {
        var archive = LogWithAnArchive();

        var spend = Assert.Single(Session.Invoke("Get-ScoutAuditSpend -Path $a", new { a = archive }));
        var accuracy = Assert.Single(Session.Invoke("Get-ScoutAuditAccuracy -Path $a", new { a = archive }));
        var last = Session.Invoke("Get-ScoutAuditEvent -Last 1 -Path $a", new { a = archive });

        Assert.Equal(1.5m, spend.Properties["Cost"].Value);
        Assert.Equal(3L, spend.Properties["Events"].Value);
        Assert.Equal(0L, accuracy.Properties["TotalNav"].Value);
        Assert.Equal("a3", Assert.Single(last).Properties["Event"].Value);
    }

    [Fact]
    public void AnArchiveThatIsNotThereIsAnObjectNotFoundErrorNamingIt()
    {
        LogWithAnArchive();
        var missing = Temp.File("audit_20200101_000000.jsonl.gz");

        var result = Session.Run("Get-ScoutAuditEvent -Path $a", new { a = missing });

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("AuditLogNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"No archive at '{missing}', so nothing is read for it. Check -Path '{missing}'.", error.ToString());
    }

    [Theory]
    [InlineData("Write-ScoutAuditEvent nav -Path $a")]
    [InlineData("Set-ScoutAuditLog -RotationSize 1MB -Path $a")]
    [InlineData("Invoke-ScoutAuditRotation -Path $a -Confirm:$false")]
    [InlineData("Test-ScoutAuditLog -Path $a")]
    [InlineData("Get-ScoutAuditLog -Path $a")]
    public void CommandsThatActOnAWholeLogRefuseAnArchiveNamingItsLog(string command)
    {
        var archive = LogWithAnArchive();
        var before = Directory.GetFiles(Temp.FullPath).Order().ToArray();

        var error = Session.Run(command, new { a = archive }).SingleError();

        Assert.StartsWith("AuditLogPathNotLog,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(archive, error.TargetObject);
        Assert.Equal($"'{archive}' is an archive of the log '{Log}'; give the log itself: -Path '{Log}'. Get-ScoutAuditEvent, Get-ScoutAuditSpend and Get-ScoutAuditAccuracy read an archive alone.", Shown(error));
        Assert.Equal(before, Directory.GetFiles(Temp.FullPath).Order().ToArray());
    }

    [Fact]
    public void WaitRefusesAnArchiveWhichNeverChanges()
    {
        var archive = LogWithAnArchive();

        var error = Session.Run("Get-ScoutAuditEvent -Wait -Path $a", new { a = archive }).SingleError();

        Assert.StartsWith("InvalidWait,", error.FullyQualifiedErrorId);
        Assert.Equal($"-Wait follows a log as it is written, and '{archive}' is an archive, which never changes; follow its log: -Path '{Log}'.", Shown(error));
    }

    [Fact]
    public void TheFilesOfALogPipedWithItsListingAreReadOnceEachAndTheOthersSkippedInAVerboseWord()
    {
        LogWithAnArchive();
        Session.Invoke("Test-ScoutAuditLog -Path $p | Out-Null; Get-ScoutAuditEvent -Since '2000-01-01' -Path $p | Out-Null", new { p = Log }); // a .verified state, .blocks

        var result = Session.Run("Get-ChildItem -Path $d -Filter '*.jsonl*' | Get-ScoutAuditEvent -Verbose", new { d = Temp.FullPath });

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(["a1", "a2", "a3", "b1", "b2"], result.Output.Select(e => (string)e.Properties["Event"].Value).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Log + ".verified"));
        foreach (var (file, role) in new[]
                 {
                     ("audit.index.jsonl", "the archive index"), ("audit.jsonl.lock", "the append lock"), ("audit.jsonl.seal-intent", "the seal-intent lock"),
                     ("audit.jsonl.rotate-lock", "the rotation lock"), ("audit.jsonl.blocks", "the time summaries of the blocks"),
                     ("audit.jsonl.verified", "the verification state"),
                 })
        {
            if (!File.Exists(Temp.File(file))) continue;
            Assert.Contains($"Skipped '{Temp.File(file)}': it is {role} of the log '{Log}', not a log.", result.Verbose);
        }
    }

    [Fact]
    public void ALogsOtherFileNamedOnTheCommandLineIsOneWarningNamingTheLog()
    {
        LogWithAnArchive();
        var lockFile = Log + ".lock";

        var result = Session.Run("Get-ScoutAuditEvent -Path $l; Get-ScoutAuditSpend -Path $l", new { l = lockFile });

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal([$"Skipped '{lockFile}': it is the append lock of the log '{Log}', not a log. Give the log itself: -Path '{Log}'."], result.Warnings.Distinct());
        Assert.Equal(2, result.Warnings.Count);
    }

    [Fact]
    public void ACompressedFileNotNamedAsAnArchiveIsNotReadAsText()
    {
        var gzip = Temp.File("copy.jsonl.gz");
        LogWithAnArchive();
        File.Copy(Assert.Single(Directory.GetFiles(Temp.FullPath, "audit_*.jsonl.gz")), gzip);

        var result = Session.Run("Get-ScoutAuditEvent -Path $g", new { g = gzip });

        Assert.Empty(result.Output);
        Assert.Equal($"Skipped '{gzip}': it is compressed, and not named as an archive of a log (<log>_YYYYMMDD_HHMMSS.jsonl.gz), so it is not read as a log. Decompress it to read it.",
            Assert.Single(result.Warnings));
    }

    [LinuxFact]
    public void APlaceWhereNoFileCanBeMadeIsAnErrorNamingTheLogNotALockFile()
    {
        var error = Session.Run("Write-ScoutAuditEvent nav -Path /proc/scoutaudit-test.jsonl").SingleError();

        Assert.StartsWith("AuditLogWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Equal("The audit log '/proc/scoutaudit-test.jsonl' cannot be opened for writing: no file can be created in '/proc' (No such file or directory).", error.Exception.Message);
        Session.Run("Close-ScoutAuditLog -Path /proc/scoutaudit-test.jsonl");
    }
}
