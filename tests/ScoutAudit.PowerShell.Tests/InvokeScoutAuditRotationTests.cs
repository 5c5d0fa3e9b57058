using System.Text.RegularExpressions;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class InvokeScoutAuditRotationTests : ModuleLogTest
{
    private string[] Disk() =>
        Directory.GetFiles(Temp.FullPath).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}").ToArray();

    [Fact]
    public void WhatIfLeavesTheDiskUntouchedAndSaysWhatItWouldDo()
    {
        LogLines.Append(Log, LogLines.Line("nav", DateTimeOffset.UtcNow), LogLines.Line("nav", DateTimeOffset.UtcNow));
        var before = Disk();

        var result = Session.Run("Invoke-ScoutAuditRotation -Path $p -WhatIf", new { p = Log });

        Assert.Empty(result.Output);
        Assert.Equal(before, Disk());
        Assert.Contains($"What if: Performing the operation \"Seal the active file and archive it (gzip) beside it\" on target \"{Log}\".", Session.Host.Text);
    }

    [Fact]
    public void RotateArchivesTheActiveFileAndQueriesStillSeeEveryEvent()
    {
        Session.Invoke("Write-ScoutAuditEvent nav -Cost 1 -Path $p; Write-ScoutAuditEvent nav -Cost 2 -Path $p", new { p = Log });

        var archive = Assert.Single(Session.Invoke("Invoke-ScoutAuditRotation -Path $p -Confirm:$false", new { p = Log }));
        Session.Invoke("Write-ScoutAuditEvent nav -Cost 4 -Path $p", new { p = Log });

        Assert.Equal("ScoutAudit.ArchiveInfo", archive.BaseObject.GetType().FullName);
        Assert.Matches(new Regex(@"audit_\d{8}_\d{6}.*\.jsonl\.gz$"), (string)archive.Properties["Path"].Value);
        Assert.True(File.Exists((string)archive.Properties["Path"].Value));
        Assert.Equal(2L, archive.Properties["Lines"].Value);
        Assert.Equal(7m, Session.Invoke("(Get-ScoutAuditSpend -Path $p).Cost", new { p = Log })[0].BaseObject);
        var info = Assert.Single(Session.Invoke("Get-ScoutAuditLog -Path $p", new { p = Log }));
        Assert.Equal(1, info.Properties["Archives"].Value);
        Assert.Equal(new FileInfo((string)archive.Properties["Path"].Value).Length, info.Properties["ArchiveBytes"].Value);
    }

    [Fact]
    public void RotatingAnEmptyLogReturnsNothing()
    {
        var result = Session.Run("Invoke-ScoutAuditRotation -Path $p -Verbose", new { p = Log });

        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Contains(result.Verbose, v => v.Contains("nothing to rotate", StringComparison.Ordinal));
    }
}
