using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests;

/// <summary>A PowerShell command this shell lacks fails with an explanation, not with "not recognized".</summary>
public class MissingCommandTests
{
    [Theory]
    [InlineData("Get-ChildItem", "Get-ChildItem")]
    [InlineData("Import-Csv usage.csv | Write-Output", "Import-Csv")]
    [InlineData("Get-Content ./notes.txt -Raw", "Get-Content")]
    [InlineData("gci -Recurse", "Get-ChildItem")]
    public void APowerShellCommandThatIsNotHereGetsTheClearWordAndExitsOne(string script, string command)
    {
        var result = ShellRun.Command(script);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(command + ": '" + command + "' is a PowerShell command that this embedded shell does not have", result.Err);
        Assert.Contains("only the core PowerShell engine", result.Err);
        Assert.Contains("'scoutaudit -?'", result.Err);
        Assert.Contains("pwsh runs the same script in full", result.Err);
        Assert.DoesNotContain("is not recognized", result.Err);
    }

    [Fact]
    public void ATypoKeepsPowerShellsOwnMessage()
    {
        var result = ShellRun.Command("Get-ChldItem");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The term 'Get-ChldItem' is not recognized", result.Err);
    }

    [Fact]
    public void LikeAnyCommandNotFoundItEndsOnlyTheStatement()
    {
        var result = ShellRun.Command("Import-Csv x.csv; 'next statement'");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("next statement\n", result.Out);
    }

    [Fact]
    public void ItFailsBeforeTheCommandsUpstreamRun()
    {
        var result = ShellRun.Command("$script:ran = 0; 1..3 | ForEach-Object { $script:ran++; $_ } | Export-Csv out.csv; \"ran=$ran\"");
        Assert.Equal("ran=0\n", result.Out);
    }

    [Fact]
    public void ItIsACommandNotFoundErrorForTryCatchAndDollarQuestion()
    {
        Assert.Equal("caught CommandNotFoundException\nFalse\n", ShellRun.Command(
            "try { Import-Csv x.csv } catch [System.Management.Automation.CommandNotFoundException] { 'caught CommandNotFoundException' }; Get-Item x; $?").Out);
    }

    [Fact]
    public void ItsErrorRecordNamesTheCommand()
    {
        var output = ShellRun.Output(
            "try { Get-Item x } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category; $_.Exception.GetType().Name; $_.TargetObject }");
        Assert.Equal("CommandNotInEmbeddedShell\nObjectNotFound\nCommandNotInShellException\nGet-Item\n", output);
    }

    [Fact]
    public void ScriptsCanStillProbeForACommandWithGetCommand() =>
        Assert.Equal("absent\n", ShellRun.Output("if (Get-Command Get-ChildItem -ErrorAction Ignore) { 'present' } else { 'absent' }"));
}
