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

    [LinuxFact]
    public void APlaceWhereNoFileCanBeMadeIsAnErrorNamingTheLogNotALockFile()
    {
        var error = Session.Run("Write-ScoutAudit nav -Path /proc/scoutaudit-test.jsonl").SingleError();

        Assert.StartsWith("AuditLogWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Equal("The audit log '/proc/scoutaudit-test.jsonl' cannot be opened for writing: no file can be created in '/proc' (No such file or directory).", error.Exception.Message);
        Session.Run("Close-ScoutAuditLog -Path /proc/scoutaudit-test.jsonl");
    }
}
