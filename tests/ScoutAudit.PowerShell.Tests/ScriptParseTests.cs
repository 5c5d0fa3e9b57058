using System.Management.Automation.Language;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>Scripts the tests cannot run here (Pester is not available; build.ps1 calls dotnet) must at least parse.</summary>
public sealed class ScriptParseTests
{
    [Theory]
    [InlineData("tests/pester/ScoutAudit.Tests.ps1")]
    [InlineData("build.ps1")]
    public void TheScriptParsesWithoutErrors(string relativePath)
    {
        var ast = Parser.ParseFile(Repository.File(relativePath.Split('/')), out _, out var errors);

        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));
        Assert.NotEmpty(ast.EndBlock.Statements);
    }

    [Fact]
    public void ThePesterScenariosCoverEveryCmdlet()
    {
        var ast = Parser.ParseFile(Repository.File("tests", "pester", "ScoutAudit.Tests.ps1"), out _, out _);
        var commands = ast.FindAll(node => node is CommandAst, searchNestedScriptBlocks: true)
            .Cast<CommandAst>().Select(c => c.GetCommandName()).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Contains("Describe", commands);
        Assert.Contains("Should", commands);
        foreach (var cmdlet in new[] { "Write-ScoutAudit", "Get-ScoutAuditEvent", "Get-ScoutSpend", "Get-ScoutAccuracy", "Invoke-ScoutAuditRotate", "Get-ScoutAuditLog", "Set-ScoutAuditLog", "Close-ScoutAuditLog" })
            Assert.Contains(cmdlet, commands);
    }

    [Fact]
    public void BuildScriptUsesNoInvokeExpressionAndChecksEveryDotnetExitCode()
    {
        var ast = Parser.ParseFile(Repository.File("build.ps1"), out _, out _);
        var commands = ast.FindAll(node => node is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>().ToList();

        Assert.DoesNotContain(commands, c => c.GetCommandName() is "Invoke-Expression" or "iex");
        var dotnetCalls = commands.Count(c => c.GetCommandName() == "dotnet");
        Assert.True(dotnetCalls > 0);
        var text = File.ReadAllText(Repository.File("build.ps1"));
        Assert.Equal(dotnetCalls, System.Text.RegularExpressions.Regex.Matches(text, @"^\s*dotnet .*\r?\n\s*Assert-ExitCode", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
    }
}
