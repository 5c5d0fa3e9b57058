using System.Management.Automation;
using System.Text.RegularExpressions;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>Help as Get-Help reads it from the MAML the build generated from docs/en-US.</summary>
public sealed class HelpTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    public static TheoryData<string> Cmdlets() =>
    [
        "Write-ScoutAuditEvent", "Get-ScoutAuditEvent", "Get-ScoutAuditSpend", "Get-ScoutAuditAccuracy",
        "Invoke-ScoutAuditRotation", "Get-ScoutAuditLog", "Set-ScoutAuditLog", "Close-ScoutAuditLog",
        "Export-ScoutAuditReport", "Send-ScoutAuditEvent", "Test-ScoutAuditLog", "Get-ScoutAuditArchive",
        "Remove-ScoutAuditArchive", "Register-ScoutAuditArchive",
    ];

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void EveryCmdletHasASynopsisADescriptionAndAtLeastTwoExamples(string cmdlet)
    {
        var help = Assert.Single(_session.Invoke("Get-Help $c -Full", new { c = cmdlet }));

        var synopsis = help.Properties["Synopsis"].Value?.ToString() ?? "";
        Assert.False(synopsis.StartsWith(cmdlet, StringComparison.Ordinal), $"{cmdlet} has only the generated synopsis: {synopsis}");
        Assert.True(synopsis.Length > 20, synopsis);
        Assert.Contains(_session.Invoke("(Get-Help $c).Description.Text", new { c = cmdlet }), t => t.ToString()!.Length > 20);
        var examples = _session.Invoke("@((Get-Help $c).Examples.Example).Count", new { c = cmdlet });
        Assert.True((int)examples[0].BaseObject >= 2, $"{cmdlet} has {examples[0]} examples.");
        Assert.Empty(_session.Invoke("(Get-Help $c).Examples.Example | Where-Object { -not $_.Code }", new { c = cmdlet }));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void EveryCmdletKeepsTheRelatedLinksOfItsPage(string cmdlet)
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "en-US", cmdlet + ".md"));
        var section = page[page.IndexOf("## RELATED LINKS", StringComparison.Ordinal)..];
        var expected = Regex.Matches(section, @"\[([^\]]+)\]\(").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(expected);

        var links = _session.Invoke("@((Get-Help $c).relatedLinks.navigationLink.linkText)", new { c = cmdlet }).Select(l => l.ToString()).ToList();
        var full = string.Join("\n", _session.Invoke("Get-Help $c -Full | Out-String -Width 200", new { c = cmdlet }));

        foreach (var name in expected)
        {
            Assert.Contains(name, links);
            Assert.Matches($@"(?m)^\s+{Regex.Escape(name)}\s*$", full[full.IndexOf("RELATED LINKS", StringComparison.Ordinal)..]);
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void TheDocumentedParametersAreTheCmdletsParameters(string cmdlet)
    {
        var page = File.ReadAllText(Repository.File("docs", "en-US", $"{cmdlet}.md"));
        var documented = Regex.Matches(page, @"^### -(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        var actual = _session.Invoke("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            (Get-Command $c).Parameters.Keys | Where-Object { $common -notcontains $_ -or $_ -in 'WhatIf', 'Confirm' }
            """, new { c = cmdlet }).Select(o => o.ToString()!).Order(StringComparer.Ordinal);

        Assert.Equal(actual, documented);
    }

    [Fact]
    public void TheAboutTopicListsEveryErrorId()
    {
        var about = string.Join("\n", _session.Invoke("Get-Help about_ScoutAudit").Select(o => o.ToString()));
        var ids = _session.Invoke("[ScoutAudit.PowerShell.ErrorIds].GetFields() | ForEach-Object { $_.GetValue($null) }").Select(o => o.ToString()!).ToList();

        Assert.True(ids.Count >= 12);
        Assert.All(ids, id => Assert.Contains($"`{id}`", File.ReadAllText(Repository.File("docs", "en-US", "about_ScoutAudit.md"))));
        Assert.All(ids, id => Assert.Contains(id, about));
        Assert.Contains("SHORT DESCRIPTION", about);
    }

    [Fact]
    public void TheLogFormatTopicIsInstalled()
    {
        var about = string.Join("\n", _session.Invoke("Get-Help about_ScoutAuditLogFormat").Select(o => o.ToString()));

        Assert.Contains("jsonl.gz", about);
    }
}
