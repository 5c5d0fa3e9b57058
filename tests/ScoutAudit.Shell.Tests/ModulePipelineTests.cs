using System.Text.Json;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests;

/// <summary>
/// The issue's pipelines on real ScoutAudit.AuditEvent objects: the stand-ins over the module's cmdlets, in the shell.
/// </summary>
public sealed class ModulePipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _log;

    public ModulePipelineTests()
    {
        _log = _folder.File("audit.jsonl");
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        AuditLogFile.Write(_log,
        [
            new(start.AddMinutes(1), "nav", "llama", 0.001),
            new(start.AddMinutes(2), "brief", "gpt", 0.02),
            new(start.AddMinutes(3), "nav", "gpt", 0.005),
            new(start.AddMinutes(4), "validation_fail", "llama", 0.0),
            new(start.AddMinutes(5), "nav", "claude", 0.04),
        ]);
    }

    public void Dispose() => _folder.Dispose();

    private string Events => $"Get-ScoutAuditEvent -Path '{_log}'";

    [ModuleFact]
    public void SortByCostDescendingThenTheFirstThreeEventAndCost()
    {
        var rows = ShellRun.Objects(Events + " | Sort-Object Cost -Descending | Select-Object -First 3 Event, Cost", Repository.ModuleManifest);
        Assert.Equal(["nav", "brief", "nav"], rows.Select(r => r.Properties["Event"].Value));
        Assert.Equal([0.04, 0.02, 0.005], rows.Select(r => Convert.ToDouble(r.Properties["Cost"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal(["Event", "Cost"], r.Properties.Select(p => p.Name)));
    }

    [ModuleFact]
    public void GroupByModelThenSortByCount()
    {
        var result = ShellRun.InProcess(["-Command", Events + " | Group-Object Model | Sort-Object Count"], Repository.ModuleManifest);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Count", "Name", "Group"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\s+1 claude\s", lines[2]);
        Assert.Matches(@"^\s+2 gpt\s", lines[3]);
        Assert.Matches(@"^\s+2 llama\s", lines[4]);
    }

    [ModuleFact]
    public void TheLastEventAsAListOfEveryProperty()
    {
        var result = ShellRun.InProcess(["-Command", Events + " -Last 1 | Format-List *"], Repository.ModuleManifest);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, result.ToString());
        Assert.Matches(@"(?m)^Event\s+: nav$", result.Out);
        Assert.Matches(@"(?m)^Model\s+: claude$", result.Out);
        Assert.Matches(@"(?m)^Cost\s+: 0\.04$", result.Out);
    }

    [ModuleFact]
    public void SpendByModelAsJson()
    {
        var result = ShellRun.InProcess(["-Command", $"Get-ScoutSpend -By Model -Path '{_log}' | ConvertTo-Json"], Repository.ModuleManifest);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, result.ToString());
        Assert.StartsWith("[\n  {\n    \"", result.Out.Replace("\r", string.Empty, StringComparison.Ordinal));
        using var json = JsonDocument.Parse(result.Out);
        var byGroup = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("Group").GetString()!, e => e.GetProperty("Cost").GetDouble());
        Assert.Equal(0.025, byGroup["gpt"], 9);
        Assert.Equal(0.04, byGroup["claude"], 9);
        Assert.Equal(0.001, byGroup["llama"], 9);
    }

    [ModuleFact]
    public void MeasureTheCostOfNavEvents()
    {
        var m = ShellRun.Objects(Events + " | Where-Object Event -eq nav | Measure-Object Cost -Sum -Maximum", Repository.ModuleManifest).Single();
        Assert.Equal(3, (int)m.Properties["Count"].Value);
        Assert.Equal(0.046, (double)m.Properties["Sum"].Value, 9);
        Assert.Equal(0.04, (double)m.Properties["Maximum"].Value, 9);
    }
}
