using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

[Collection(nameof(ProcessStateCollection))]
public sealed class ProcessStateTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RemoveModuleSyncsAndReleasesEveryOpenLog()
    {
        var log = _temp.File("audit.jsonl");
        using var session = new ModuleSession();
        session.Invoke("Set-ScoutAuditLog -Path $p -SyncPolicy None; Write-ScoutAuditEvent nav -Path $p", new { p = log });
        Assert.Equal(1L, session.Invoke("(Get-ScoutAuditLog -Path $p).UnsyncedLines", new { p = log })[0].BaseObject);
        Assert.True(LogManagementTests.OpenHandles(log) > 0);

        session.Invoke("Remove-Module ScoutAudit");

        Assert.Equal(0, LogManagementTests.OpenHandles(log));
        Assert.Single(File.ReadAllLines(log));
    }

    [Fact]
    public void WithoutPathTheLogIsScoutAuditPathOrTheHomeDefault()
    {
        var log = _temp.File("from-env.jsonl");
        var saved = Environment.GetEnvironmentVariable("SCOUT_AUDIT_PATH");
        try
        {
            using var session = new ModuleSession();
            session.Invoke("$env:SCOUT_AUDIT_PATH = $p; Write-ScoutAuditEvent nav; Close-ScoutAuditLog", new { p = log });
            Assert.Single(File.ReadAllLines(log));
            Assert.Single(session.Invoke("Get-ScoutAuditEvent"));

            var home = session.Invoke("$env:SCOUT_AUDIT_PATH = ''; (Get-ScoutAuditLog | Where-Object Path -like '*.scout*').Path");
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".scout", "audit.jsonl"), home.Single().ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("SCOUT_AUDIT_PATH", saved);
        }
    }
}
