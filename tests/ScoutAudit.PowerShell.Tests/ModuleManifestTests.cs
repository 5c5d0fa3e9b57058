using System.Management.Automation;
using System.Text.RegularExpressions;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class ModuleManifestTests : IDisposable
{
    private static readonly string[] Cmdlets =
    [
        "Close-ScoutAuditLog", "Export-ScoutAuditReport", "Get-ScoutAuditAccuracy", "Get-ScoutAuditArchive", "Get-ScoutAuditEvent", "Get-ScoutAuditLog",
        "Get-ScoutAuditSpend", "Invoke-ScoutAuditRotation", "Register-ScoutAuditArchive", "Remove-ScoutAuditArchive", "Send-ScoutAuditEvent", "Set-ScoutAuditLog", "Test-ScoutAuditLog", "Write-ScoutAuditEvent",
    ];

    /// <summary>The design card's names, kept as aliases of the cmdlets that took their place (docs/surface.md, Names).</summary>
    private static readonly string[] FirstNames =
    [
        "Get-ScoutAccuracy=Get-ScoutAuditAccuracy", "Get-ScoutSpend=Get-ScoutAuditSpend", "Invoke-ScoutAuditRotate=Invoke-ScoutAuditRotation", "Write-ScoutAudit=Write-ScoutAuditEvent",
    ];

    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public void TheBuiltManifestPassesTestModuleManifestWithTheRepositoryVersion()
    {
        var module = Assert.Single(_session.Invoke("Test-ModuleManifest -Path $p", new { p = Repository.ModuleManifest }));

        var version = Regex.Match(File.ReadAllText(Repository.File("Directory.Build.props")), "<Version>(.+)</Version>").Groups[1].Value;
        Assert.Equal(Version.Parse(version), module.Properties["Version"].Value);
        Assert.Equal(Cmdlets, ((System.Collections.IDictionary)module.Properties["ExportedCmdlets"].Value).Keys.Cast<string>().Order(StringComparer.Ordinal));
        Assert.Equal("7.4", module.Properties["PowerShellVersion"].Value.ToString());
        Assert.Equal(["Core"], ((IEnumerable<string>)module.Properties["CompatiblePSEditions"].Value).ToArray());
    }

    [Fact]
    public void TheSourceManifestKeepsTheVersionPlaceholderForTheBuildToStamp()
    {
        Assert.Matches(@"ModuleVersion\s*=\s*'0\.0\.0'", File.ReadAllText(Repository.File("ScoutAudit.psd1")));
    }

    [Fact]
    public void TheImportedModuleExportsExactlyItsCmdletsAndTheirFirstNames()
    {
        var module = Assert.Single(_session.Invoke("Get-Module ScoutAudit"));
        var info = (PSModuleInfo)module.BaseObject;

        Assert.Equal(Cmdlets, info.ExportedCmdlets.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(info.ExportedFunctions);
        Assert.Equal(FirstNames, info.ExportedAliases.Values.Select(a => $"{a.Name}={a.Definition}").Order(StringComparer.Ordinal));
        Assert.Empty(info.ExportedVariables);
        Assert.Contains("audit", (IEnumerable<string>)info.Tags);
        Assert.NotNull(info.ProjectUri);
        Assert.NotNull(info.LicenseUri);
    }

    [Fact]
    public void EveryCmdletDeclaresItsOutputType()
    {
        var outputs = _session.Invoke("Get-Command -Module ScoutAudit | ForEach-Object { $_.Name + '=' + ($_.OutputType.Name -join ',') }")
            .Select(o => o.ToString()).ToArray();

        Assert.Contains("Write-ScoutAuditEvent=ScoutAudit.AuditEvent", outputs);
        Assert.Contains("Get-ScoutAuditEvent=ScoutAudit.AuditEvent", outputs);
        Assert.Contains("Get-ScoutAuditSpend=ScoutAudit.SpendRow", outputs);
        Assert.Contains("Get-ScoutAuditAccuracy=ScoutAudit.AccuracyReport", outputs);
        Assert.Contains("Get-ScoutAuditLog=ScoutAudit.AuditLogInfo", outputs);
        Assert.Contains("Set-ScoutAuditLog=ScoutAudit.AuditLogInfo", outputs);
        Assert.Contains("Invoke-ScoutAuditRotation=ScoutAudit.ArchiveInfo", outputs);
        Assert.Contains("Get-ScoutAuditArchive=ScoutAudit.ArchiveInfo", outputs);
    }

    [Fact]
    public void RotateAsksForConfirmationAtMediumImpactAndWriteHasNoWhatIf()
    {
        var result = _session.Invoke("""
            (Get-Command Invoke-ScoutAuditRotation).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact
            (Get-Command Write-ScoutAuditEvent).Parameters.ContainsKey('WhatIf')
            """);

        Assert.Equal("Medium", result[0].ToString());
        Assert.Equal(false, result[1].BaseObject);
    }
}
