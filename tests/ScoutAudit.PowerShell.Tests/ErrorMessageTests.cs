using System.Management.Automation;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Every error id of about_ScoutAudit as a person sees it: one line, the value said once, the
/// parameter named as PowerShell names one (not .NET's "(Parameter 'cost')" and "Actual value was").
/// </summary>
public sealed class ErrorMessageTests : ModuleLogTest
{
    /// <summary>The message PowerShell shows: ErrorDetails when set, else the exception's.</summary>
    private static string Shown(ErrorRecord error) => error.ErrorDetails?.Message ?? error.Exception.Message;

    private static void AssertOneLine(string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
        Assert.DoesNotContain("(Parameter '", message);
        Assert.DoesNotContain("Actual value was", message);
    }

    [Theory]
    [InlineData("Write-ScoutAuditEvent nav -Cost -1 -Path $p", "InvalidEventField", "Cannot validate argument on parameter 'Cost'. Cost must be a finite number of 0 or more; got -1.")]
    [InlineData("Write-ScoutAuditEvent nav -InputTokens -5 -Path $p", "InvalidEventField", "Cannot validate argument on parameter 'InputTokens'.")]
    [InlineData("Write-ScoutAuditEvent nav -OutputTokens -5 -Path $p", "InvalidEventField", "Cannot validate argument on parameter 'OutputTokens'.")]
    [InlineData("Write-ScoutAuditEvent nav -Confidence 200 -Path $p", "InvalidEventField", "Cannot validate argument on parameter 'Confidence'.")]
    [InlineData("Write-ScoutAuditEvent nav -DurationMs -3 -Path $p", "InvalidEventField", "Cannot validate argument on parameter 'DurationMs'.")]
    [InlineData("Write-ScoutAuditEvent nav -Timestamp ([datetime]'1990-01-01') -Path $p", "InvalidEventField", "Cannot validate argument on parameter 'Timestamp'.")]
    [InlineData("Write-ScoutAuditEvent ('x' * 70) -Path $p", "InvalidEventField", "Cannot validate argument on parameter 'Event'.")]
    [InlineData("Write-ScoutAuditEvent nav -Config '{x' -Path $p", "InvalidConfig", "-Config is a string that is not JSON")]
    [InlineData("Write-ScoutAuditEvent nav -Property @{ cost = 1 } -Path $p", "InvalidExtraField", "The extra field name 'cost' is reserved")]
    [InlineData("Write-ScoutAuditEvent nav -Property @{ big = 'x' * 1100000 } -Path $p", "EventTooLarge", "")]
    [InlineData("Get-ScoutAuditEvent -Since '2026-02-02' -Until '2026-02-01' -Path $p", "InvalidTimeWindow", "Cannot validate argument on parameter 'Since'.")]
    [InlineData("Set-ScoutAuditLog -SyncInterval '2:00:00' -Path $p", "InvalidLogSetting", "Cannot validate argument on parameter 'SyncInterval'.")]
    [InlineData("Get-ScoutAuditEvent -Path Env:/x", "AuditLogPathNotFileSystem", "The audit log path 'Env:/x' is in the Environment provider")]
    [InlineData("Get-ScoutAuditEvent -Path $d", "AuditLogPathIsDirectory", "")]
    [InlineData("Get-ScoutAuditEvent -Path Q:/x.jsonl", "AuditLogPathInvalid", "The audit log path 'Q:/x.jsonl' cannot be resolved")]
    public void EachErrorIsOneLineThatNamesTheParameter(string command, string errorId, string start)
    {
        var result = Session.Run(command, new { p = Log, d = Temp.FullPath });

        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        AssertOneLine(Shown(error));
        Assert.StartsWith(start, Shown(error));
    }

    [Fact]
    public void TheValueIsSaidOnce()
    {
        var error = Session.Run("Write-ScoutAuditEvent nav -Cost -1.25 -Path $p", new { p = Log }).SingleError();

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(Shown(error), "-1\\.25"));
        Assert.IsAssignableFrom<ArgumentException>(error.Exception); // the exception is kept for scripts
        Assert.Equal(-1.25, error.TargetObject);
    }

    [Fact]
    public void APipedRecordsErrorIsOneLineToo()
    {
        var result = Session.Run("[pscustomobject]@{ Event = 'nav'; InputTokens = -7 } | Write-ScoutAuditEvent -Path $p", new { p = Log });

        var error = result.SingleError();
        AssertOneLine(Shown(error));
        Assert.StartsWith("Cannot validate argument on parameter 'InputTokens'.", Shown(error));
    }
}
