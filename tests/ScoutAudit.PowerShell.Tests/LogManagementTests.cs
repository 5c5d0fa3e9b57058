using System.Management.Automation;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class LogManagementTests : ModuleLogTest
{
    private PSObject Info() => Assert.Single(Session.Invoke("Get-ScoutAuditLog -Path $p", new { p = Log }));

    [Fact]
    public void GetScoutAuditLogDescribesALogAndOpensNothing()
    {
        var info = Info();

        Assert.Equal("ScoutAudit.AuditLogInfo", info.BaseObject.GetType().FullName);
        Assert.Equal(Log, info.Properties["Path"].Value);
        Assert.Equal(0L, info.Properties["Size"].Value);
        Assert.Equal(0, info.Properties["Archives"].Value);
        Assert.Equal(0L, info.Properties["ArchiveBytes"].Value);
        Assert.Equal(10L * 1024 * 1024, info.Properties["RotationSize"].Value);
        Assert.Equal("Cadence", info.Properties["SyncPolicy"].Value.ToString());
        Assert.Equal(10, info.Properties["SyncEveryLines"].Value);
        Assert.Equal(TimeSpan.FromSeconds(1), info.Properties["SyncInterval"].Value);
        Assert.Equal(0L, info.Properties["UnsyncedLines"].Value);
        Assert.False(File.Exists(Log));
    }

    [Fact]
    public void GetScoutAuditLogListsTheLogsTheSessionWroteTo()
    {
        var other = Temp.File("other.jsonl");
        Session.Invoke("Write-ScoutAuditEvent nav -Path $p; Write-ScoutAuditEvent nav -Path $o", new { p = Log, o = other });

        var paths = Session.Invoke("(Get-ScoutAuditLog).Path").Select(o => o.ToString()).ToList();

        Assert.Contains(Log, paths);
        Assert.Contains(other, paths);
        Session.Invoke("Close-ScoutAuditLog -Path $o", new { o = other });
    }

    [Fact]
    public void TildeIsExpandedToTheHomeDirectory()
    {
        var info = Assert.Single(Session.Invoke("Get-ScoutAuditLog -Path '~/scoutaudit-test-never-written.jsonl'"));

        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "scoutaudit-test-never-written.jsonl"), info.Properties["Path"].Value);
    }

    [Fact]
    public void SyncPolicyNoneLeavesLinesUnsyncedUntilCloseScoutAuditLog()
    {
        Session.Invoke("Set-ScoutAuditLog -Path $p -SyncPolicy None; Write-ScoutAuditEvent nav -Path $p; Write-ScoutAuditEvent nav -Path $p", new { p = Log });
        Assert.Equal(2L, Info().Properties["UnsyncedLines"].Value);
        Assert.Equal("None", Info().Properties["SyncPolicy"].Value.ToString());

        Session.Invoke("Get-ScoutAuditLog -Path $p | Close-ScoutAuditLog", new { p = Log });

        Assert.Equal(0L, Info().Properties["UnsyncedLines"].Value);
        Assert.Equal(2, File.ReadAllLines(Log).Length);
    }

    [Fact]
    public void EveryEventLeavesNothingUnsynced()
    {
        Session.Invoke("Set-ScoutAuditLog -Path $p -SyncPolicy EveryEvent; Write-ScoutAuditEvent nav -Path $p", new { p = Log });

        Assert.Equal(0L, Info().Properties["UnsyncedLines"].Value);
    }

    [Fact]
    public void TheCadenceSyncsWithinTheIntervalWhenNoFurtherWriteComes()
    {
        Session.Invoke("Set-ScoutAuditLog -Path $p -SyncPolicy Cadence -SyncEveryLines 100 -SyncInterval ([timespan]::FromMilliseconds(50)); Write-ScoutAuditEvent nav -Path $p", new { p = Log });
        Assert.Equal(1L, Info().Properties["UnsyncedLines"].Value);

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((long)Info().Properties["UnsyncedLines"].Value != 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);

        Assert.Equal(0L, Info().Properties["UnsyncedLines"].Value);
        var info = Info();
        Assert.Equal("Cadence", info.Properties["SyncPolicy"].Value.ToString());
        Assert.Equal(100, info.Properties["SyncEveryLines"].Value);
        Assert.Equal(TimeSpan.FromSeconds(0.05), info.Properties["SyncInterval"].Value);
    }

    [Fact]
    public void RotationSizeAcceptsSizeLiteralsAndZeroMeansNever()
    {
        var set = Assert.Single(Session.Invoke("Set-ScoutAuditLog -Path $p -RotationSize 50MB -PassThru", new { p = Log }));
        Assert.Equal(50L * 1024 * 1024, set.Properties["RotationSize"].Value);

        Session.Invoke("Set-ScoutAuditLog -Path $p -RotationSize 0", new { p = Log });
        Assert.Null(Info().Properties["RotationSize"].Value);
    }

    [Fact]
    public void SetScoutAuditLogWhatIfChangesNothing()
    {
        Session.Invoke("Set-ScoutAuditLog -Path $p -SyncPolicy None -WhatIf", new { p = Log });

        Assert.Equal("Cadence", Info().Properties["SyncPolicy"].Value.ToString());
        Assert.Contains("What if:", Session.Host.Text);
    }

    [Fact]
    public void AnIntervalOutOfRangeIsInvalidLogSettingWithTheValueAsTarget()
    {
        var error = Session.Run("Set-ScoutAuditLog -Path $p -SyncInterval ([timespan]::FromHours(2))", new { p = Log }).SingleError();

        Assert.StartsWith("InvalidLogSetting,", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error!.CategoryInfo.Category);
        Assert.Equal(TimeSpan.FromHours(2), error.TargetObject);
    }

    [Fact]
    public void ZeroSyncLinesIsRefusedByValidation()
    {
        var error = Session.Run("Set-ScoutAuditLog -Path $p -SyncEveryLines 0", new { p = Log }).SingleError();

        Assert.StartsWith("ParameterArgumentValidationError,", error?.FullyQualifiedErrorId);
    }

    [Fact]
    public void CloseScoutAuditLogReleasesTheFileAndTheNextWriteReopensIt()
    {
        Session.Invoke("Write-ScoutAuditEvent nav -Path $p", new { p = Log });
        Assert.True(OpenHandles(Log) > 0);

        Session.Invoke("Close-ScoutAuditLog -Path $p", new { p = Log });
        Assert.Equal(0, OpenHandles(Log));

        Session.Invoke("Write-ScoutAuditEvent nav -Path $p", new { p = Log });
        Assert.Equal(2, File.ReadAllLines(Log).Length);
    }

    [Fact]
    public void ClosingALogThatIsNotOpenDoesNothing()
    {
        var result = Session.Run("Close-ScoutAuditLog -Path $p -Verbose", new { p = Temp.File("never.jsonl") });

        Assert.Empty(result.Errors);
        Assert.Null(result.Terminating);
        Assert.Contains(result.Verbose, v => v.Contains("not open", StringComparison.Ordinal));
    }

    /// <summary>File descriptors of this process open on the file (Linux /proc); -1 where that cannot be seen.</summary>
    internal static int OpenHandles(string path)
    {
        if (!Directory.Exists("/proc/self/fd")) return -1;
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == path) count++;
            }
            catch (IOException)
            {
            }
        }
        return count;
    }
}
