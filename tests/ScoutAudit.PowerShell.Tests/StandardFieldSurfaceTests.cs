using System.Management.Automation;
using System.Xml.Linq;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Every standard field of the table (<c>[ScoutAudit.Core.StandardFields]::All</c>) has its place in the
/// module's surface: a Write-ScoutAuditEvent parameter, a property of the emitted event under its
/// PowerShell name and, where the line's name differs, a hidden one under that name, and a line in the
/// event's list view.
/// </summary>
public sealed class StandardFieldSurfaceTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    private List<(string Name, string Property, bool HasOriginalNameProperty)> Fields() =>
        _session.Invoke("[ScoutAudit.Core.StandardFields]::All")
            .Select(field => ((string)field.Properties["Name"].Value, (string)field.Properties["Property"].Value, (bool)field.Properties["HasOriginalNameProperty"].Value))
            .ToList();

    [Fact]
    public void EveryFieldIsAParameterOfWriteScoutAuditEventBoundFromThePipeline()
    {
        var fields = Fields();
        var bound = _session.Invoke(
            "(Get-Command Write-ScoutAuditEvent).Parameters.Values | Where-Object { $_.ParameterSets.Values.ValueFromPipelineByPropertyName -contains $true } | ForEach-Object Name")
            .Select(name => (string)name.BaseObject).ToHashSet();
        var all = _session.Invoke("(Get-Command Write-ScoutAuditEvent).Parameters.Keys").Select(name => (string)name.BaseObject).ToHashSet();

        Assert.Equal(12, fields.Count);
        // Timestamp is read from a piped record by the command itself (ts, or else Timestamp), not by the binder.
        Assert.All(fields, field => Assert.Contains(field.Property, field.Name == "ts" ? all : bound));
    }

    [Fact]
    public void EveryFieldIsAPropertyOfTheEmittedEventAndADifferentLineNameAHiddenOne()
    {
        var fields = Fields();
        var members = _session.Invoke("[ScoutAudit.AuditEvent].GetProperties() | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Hidden = $_.IsDefined([System.Management.Automation.HiddenAttribute], $false) } }")
            .ToDictionary(p => (string)p.Properties["Name"].Value, p => (bool)p.Properties["Hidden"].Value);

        Assert.All(fields, field => Assert.True(members.ContainsKey(field.Property), $"no property {field.Property} for '{field.Name}'"));
        Assert.Equal(["ts", "session_id", "input_t", "output_t", "duration_ms"], fields.Where(f => f.HasOriginalNameProperty).Select(f => f.Name));
        // Hidden, so that Export-Csv and Select-Object * do not repeat the column; ts is the time in the line's exact form, and shown.
        Assert.All(fields.Where(f => f.HasOriginalNameProperty), field =>
            Assert.Equal(field.Name != "ts", members.TryGetValue(field.Name, out var hidden) ? hidden : throw new Xunit.Sdk.XunitException($"no property {field.Name}")));
    }

    [Fact]
    public void TheEventsListViewShowsEveryField()
    {
        var format = XDocument.Load(Repository.File("src", "ScoutAudit.PowerShell", "ScoutAudit.format.ps1xml"));
        var listView = format.Descendants("View").Single(view => (string?)view.Element("Name") == "ScoutAudit.AuditEvent.List");
        var labels = listView.Descendants("ListItem").Select(item => (string?)item.Element("Label") ?? (string?)item.Element("PropertyName")).ToList();

        Assert.All(Fields(), field => Assert.Contains(field.Property, labels));
    }
}
