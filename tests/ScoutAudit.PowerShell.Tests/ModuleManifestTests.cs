using System.Management.Automation;
using System.Text.RegularExpressions;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class ModuleManifestTests : IDisposable
{
    private static readonly string[] Cmdlets =
    [
        "Close-ScoutAuditLog", "Export-ScoutAuditReport", "Get-ScoutAccuracy", "Get-ScoutAuditArchive", "Get-ScoutAuditEvent", "Get-ScoutAuditLog",
        "Get-ScoutSpend", "Invoke-ScoutAuditRotate", "Register-ScoutAuditArchive", "Remove-ScoutAuditArchive", "Send-ScoutAuditEvent", "Set-ScoutAuditLog", "Test-ScoutAuditLog", "Write-ScoutAudit",
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
    public void TheImportedModuleExportsExactlyItsCmdletsAndNothingElse()
    {
        var module = Assert.Single(_session.Invoke("Get-Module ScoutAudit"));
        var info = (PSModuleInfo)module.BaseObject;

        Assert.Equal(Cmdlets, info.ExportedCmdlets.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(info.ExportedFunctions);
        Assert.Empty(info.ExportedAliases);
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

        Assert.Contains("Write-ScoutAudit=ScoutAudit.AuditEvent", outputs);
        Assert.Contains("Get-ScoutAuditEvent=ScoutAudit.AuditEvent", outputs);
        Assert.Contains("Get-ScoutSpend=ScoutAudit.SpendRow", outputs);
        Assert.Contains("Get-ScoutAccuracy=ScoutAudit.AccuracyReport", outputs);
        Assert.Contains("Get-ScoutAuditLog=ScoutAudit.AuditLogInfo", outputs);
        Assert.Contains("Set-ScoutAuditLog=ScoutAudit.AuditLogInfo", outputs);
        Assert.Contains("Invoke-ScoutAuditRotate=ScoutAudit.ArchiveInfo", outputs);
        Assert.Contains("Get-ScoutAuditArchive=ScoutAudit.ArchiveInfo", outputs);
    }

    [Fact]
    public void RotateAsksForConfirmationAtMediumImpactAndWriteHasNoWhatIf()
    {
        var result = _session.Invoke("""
            (Get-Command Invoke-ScoutAuditRotate).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact
            (Get-Command Write-ScoutAudit).Parameters.ContainsKey('WhatIf')
            """);

        Assert.Equal("Medium", result[0].ToString());
        Assert.Equal(false, result[1].BaseObject);
    }
}
