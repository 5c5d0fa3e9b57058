using System.Management.Automation;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class CompletionTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    private string[] Complete(string input)
    {
        using var shell = System.Management.Automation.PowerShell.Create(_session.Runspace);
        return CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToArray();
    }

    [Fact]
    public void EventCompletesTheKnownEventTypes()
    {
        Assert.Equal(["validation_fail"], Complete("Write-ScoutAuditEvent val"));
        Assert.Equal(["tldr", "tldr_auto_generated", "trigger"], Complete("Get-ScoutAuditEvent -Event t").Order(StringComparer.Ordinal));
        Assert.Equal(17, Complete("Write-ScoutAuditEvent -Event ").Length);
    }

    [Fact]
    public void ByCompletesTheGroupings()
    {
        Assert.Equal(["Day", "Event", "Hour", "Model", "SessionId"], Complete("Get-ScoutAuditSpend -By ").Order(StringComparer.Ordinal));
        Assert.Equal(["SessionId"], Complete("Get-ScoutAuditSpend -By s"));
    }
}
