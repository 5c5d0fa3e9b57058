using ScoutAudit.Shell.StandIns;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests;

/// <summary>The shell's contract, run through its entry point in this process: streams, exit codes, modes.</summary>
public class ShellInProcessTests
{
    [Fact]
    public void ObjectsAreFormattedByPowerShellOnStandardOutput()
    {
        var result = ShellRun.Command("[pscustomobject]@{Event='nav'; Model='llama'}");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("\nEvent Model\n----- -----\nnav   llama\n\n", result.Out);
        Assert.Equal(string.Empty, result.Err);
    }

    [Fact]
    public void ANonTerminatingErrorGoesToStandardErrorTheScriptGoesOnAndTheExitCodeIsOne()
    {
        var result = ShellRun.Command("'before'; Get-Command No-SuchCommandHere; 'after'");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("before\nafter\n", result.Out);
        Assert.Contains("No-SuchCommandHere", result.Err);
    }

    [Fact]
    public void AThrownErrorStopsTheScriptAndExitsOne()
    {
        var result = ShellRun.Command("'before'; throw 'the sky fell'; 'never'");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("before\n", result.Out);
        Assert.Contains("the sky fell", result.Err);
    }

    [Fact]
    public void AParseErrorIsReportedAndExitsOne()
    {
        var result = ShellRun.Command("'unclosed");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains("string is missing the terminator", result.Err);
    }

    [Fact]
    public void WarningsGoToStandardErrorWithTheirPrefixAndDoNotFailTheScript()
    {
        var result = ShellRun.Command("@{a=@{b=@{c=@{d=1}}}} | ConvertTo-Json -Compress");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"a\":{\"b\":{\"c\":\"System.Collections.Hashtable\"}}}\n", result.Out);
        Assert.Equal("WARNING: Resulting JSON is truncated as serialization has exceeded the set depth of 2.\n", result.Err);
    }

    [Theory]
    [InlineData("exit 7", 7)]
    [InlineData("exit 0", 0)]
    [InlineData("'x'; exit 3; 'never'", 3)]
    public void ExitSetsTheExitCode(string script, int expected) =>
        Assert.Equal(expected, ShellRun.Command(script).ExitCode);

    [Fact]
    public void AnErrorSilencedWithErrorActionIsNotAFailure() =>
        Assert.Equal(0, ShellRun.Command("Get-Command No-SuchCommandHere -ErrorAction SilentlyContinue; 'ok'").ExitCode);

    [Fact]
    public void CommandDashReadsTheScriptFromStandardInput()
    {
        var result = ShellRun.InProcess(["-Command", "-"], input: "$x = 20\n$x + 22\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("42\n", result.Out);
    }

    [Fact]
    public void FileRunsAScriptWithNamedSwitchAndPositionalArguments()
    {
        using var folder = new TempFolder();
        string script = folder.Write("greet.ps1", """
            param([string]$Name, [switch]$Loud, [int]$Count = 1, [Parameter(ValueFromRemainingArguments)]$Rest)
            "name=$Name loud=$Loud count=$Count rest=$($Rest -join ',')"
            "root=$PSScriptRoot"
            "path=$PSCommandPath"
            "invocation=$($MyInvocation.MyCommand.Path)"
            """);

        var result = ShellRun.InProcess(["-File", script, "-Name", "Ada Lovelace", "-Loud", "-Count:3", "one", "two"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"name=Ada Lovelace loud=True count=3 rest=one,two\nroot={folder.FullPath}\npath={script}\ninvocation={script}\n", result.Out);
    }

    [Fact]
    public void ExitInAScriptFileBecomesTheExitCode()
    {
        using var folder = new TempFolder();
        string script = folder.Write("stop.ps1", "'first'\nexit 5\n'never'\n");
        var result = ShellRun.InProcess(["-File", script]);
        Assert.Equal(5, result.ExitCode);
        Assert.Equal("first\n", result.Out);
    }

    [Fact]
    public void ExitInAScriptTheFileCallsEndsOnlyThatScriptAsInPwsh()
    {
        using var folder = new TempFolder();
        folder.Write("inner.ps1", "'inner'\nexit 4\n");
        string script = folder.Write("outer.ps1", "& ([System.IO.Path]::Combine($PSScriptRoot, 'inner.ps1'))\n\"inner exited $LASTEXITCODE\"\nexit 6\n");
        var result = ShellRun.InProcess(["-File", script]);
        Assert.Equal("inner\ninner exited 4\n", result.Out);
        Assert.Equal(6, result.ExitCode);
    }

    [Fact]
    public void AnErrorInAScriptFileExitsOne()
    {
        using var folder = new TempFolder();
        string script = folder.Write("fails.ps1", "'first'\nImport-Csv data.csv\n'second'\n");
        var result = ShellRun.InProcess(["-File", script]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("first\nsecond\n", result.Out);
    }

    [Fact]
    public void AMissingScriptFileIsReportedAndExitsOne()
    {
        var result = ShellRun.InProcess(["-File", "/no/such/dir/script.ps1"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/no/such/dir/script.ps1", result.Err);
    }

    [Fact]
    public void AScriptFileWithASyntaxErrorIsReportedAndNotRun()
    {
        using var folder = new TempFolder();
        string script = folder.Write("broken.ps1", "'runs?'\nfunction f {\n");
        var result = ShellRun.InProcess(["-File", script]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains("Missing closing '}'", result.Err);
    }

    [Fact]
    public void TheInteractiveLoopKeepsStateAcrossLinesAndReadsIncompleteInputOn()
    {
        var result = ShellRun.InProcess([], input: "$total = 0\nforeach ($i in 1..3) {\n  $total += $i\n}\n\"total=$total\"\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("total=6\n", result.Out);
    }

    [Fact]
    public void TheInteractiveLoopOnPipedInputExitsOneAfterAnErrorAndNAfterExit()
    {
        Assert.Equal(1, ShellRun.InProcess([], input: "throw 'x'\n'after'\n").ExitCode);
        Assert.Equal(4, ShellRun.InProcess([], input: "'a'\nexit 4\n'never'\n").ExitCode);
    }

    [Fact]
    public void AMissingModuleIsReportedOnStandardErrorAndTheScriptStillRuns()
    {
        var result = ShellRun.InProcess(["-Command", "'still here'"], modulePath: "/no/such/ScoutAudit.psd1");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("still here\n", result.Out);
        Assert.Contains("/no/such/ScoutAudit.psd1", result.Err);
        Assert.Contains("continuing without it", result.Err);
    }

    [Fact]
    public void AModuleThatFailsToImportIsReportedAndTheScriptStillRuns()
    {
        using var folder = new TempFolder();
        string manifest = folder.Write("ScoutAudit.psd1", "@{ ModuleVersion = '1.0'; RootModule = 'Missing.dll' }");
        var result = ShellRun.InProcess(["-Command", "'still here'; (Get-Module ScoutAudit).Count"], modulePath: manifest);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("still here\n0\n", result.Out);
        Assert.Contains("could not be imported", result.Err);
        Assert.Contains("Missing.dll", result.Err);
    }

    [ModuleFact]
    public void TheBuiltModuleIsFoundAboveTheProgramAndImported()
    {
        var result = ShellRun.InProcess(["-Command", "(Get-Module ScoutAudit).Path; (Get-Command Get-ScoutAuditEvent).Source"], modulePath: null);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, result.ToString());
        Assert.EndsWith("ScoutAudit\n", result.Out);
    }

    [Fact]
    public void AnUnknownParameterIsAUsageError()
    {
        var result = ShellRun.InProcess(["-Frobnicate"]);
        Assert.Equal(ScoutShell.UsageExitCode, result.ExitCode);
        Assert.Contains("-Frobnicate", result.Err);
        Assert.Contains("scoutaudit -?", result.Err);
    }

    [Fact]
    public void NoAnsiEscapesReachAStreamThatIsNotATerminal()
    {
        var result = ShellRun.Command("[pscustomobject]@{a=1}; Get-Command No-SuchCommandHere");
        Assert.DoesNotContain('\u001b', result.Out + result.Err);
    }

    [Fact]
    public void TablesAreLaidOutForTheGivenWidth()
    {
        string script = "[pscustomobject]@{Text = 'x' * 200}";
        var narrow = ShellRun.InProcess(["-Command", script], width: 40);
        Assert.All(narrow.Out.Split('\n'), line => Assert.True(line.Length <= 40, line));
    }

    [Fact]
    public void HelpListsUsageTheModuleAndEveryStandInWithItsParameters()
    {
        var result = ShellRun.InProcess(["-?"], modulePath: null);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("scoutaudit -Command '<script>'", result.Out);
        Assert.Contains("scoutaudit -File <file.ps1> [args]", result.Out);
        foreach (var standIn in StandInCatalog.All)
        {
            string line = Assert.Single(result.Out.Split('\n'), l => l.TrimStart().StartsWith(standIn.Name + " ", StringComparison.Ordinal));
            foreach (string parameter in standIn.Parameters)
            {
                Assert.Contains("-" + parameter, line);
            }
        }

        Assert.Contains("-First", result.Out);
        Assert.Contains("-ExpandProperty", result.Out);
        if (Repository.ModuleBuilt)
        {
            Assert.Contains("Module: " + Repository.ModuleManifest, result.Out);
            Assert.Contains("  Get-ScoutAuditEvent\n", result.Out);
            Assert.Contains("  Write-ScoutAudit\n", result.Out);
        }
    }
}
