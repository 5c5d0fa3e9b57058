using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests;

/// <summary>The real program, started as a user starts it: <c>dotnet scoutaudit.dll ...</c>.</summary>
public class ShellProcessTests
{
    private static readonly Dictionary<string, string?> NoModule = new() { ["SCOUT_AUDIT_MODULE"] = "/nonexistent/ScoutAudit.psd1" };

    [Fact]
    public void ResultsGoToStdoutErrorsToStderrAndTheExitCodeSaysWhichHappened()
    {
        var clean = ShellProcess.Run(["-Command", "[pscustomobject]@{Event='nav'; Cost=2} | Select-Object Event"], NoModule);
        Assert.Equal(0, clean.ExitCode);
        Assert.Equal("\nEvent\n-----\nnav\n\n", clean.Out);

        var failed = ShellProcess.Run(["-Command", "'before'; Get-ChildItem; 'after'"], NoModule);
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal("before\nafter\n", failed.Out);
        Assert.Contains("Get-ChildItem: 'Get-ChildItem' is a PowerShell command that this embedded shell does not have", failed.Err);
        Assert.Contains("pwsh runs the same script in full", failed.Err);
    }

    [Fact]
    public void ExitCodesOfExitThrowAndUsageErrors()
    {
        Assert.Equal(9, ShellProcess.Run(["-Command", "exit 9"], NoModule).ExitCode);
        Assert.Equal(1, ShellProcess.Run(["-Command", "throw 'no'"], NoModule).ExitCode);
        Assert.Equal(64, ShellProcess.Run(["-Bogus"], NoModule).ExitCode);
    }

    [Fact]
    public void FileRunsAScriptWithArguments()
    {
        using var folder = new TempFolder();
        string script = folder.Write("sum.ps1", "param([int]$A, [int]$B, [switch]$Twice)\n$s = $A + $B\nif ($Twice) { $s *= 2 }\n\"sum=$s\"\nexit $s\n");
        var result = ShellProcess.Run(["-File", script, "-A", "2", "-B:3", "-Twice"], NoModule);
        Assert.Equal("sum=10\n", result.Out);
        Assert.Equal(10, result.ExitCode);
    }

    [Fact]
    public void PipedStandardInputRunsWithoutPrompts()
    {
        var result = ShellProcess.Run([], NoModule, input: "$a = 'piped'\n\"$a input\"\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("piped input\n", result.Out);
    }

    [Fact]
    public void HelpPrintsUsageAndTheStandIns()
    {
        var result = ShellProcess.Run(["-?"], NoModule);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains("Select-Object", result.Out);
        Assert.Contains("Module: not loaded", result.Out);
    }

    [ModuleFact]
    public void TheHeadlineCommandPrintsTheLastHoursNavEventsInATimeZoneFarFromUtc()
    {
        using var folder = new TempFolder();
        string log = folder.File("audit.jsonl");
        var now = DateTimeOffset.UtcNow;
        AuditLogFile.Write(log,
        [
            new(now.AddMinutes(-150), "nav", "too-old", 0.001),
            new(now.AddMinutes(-61), "nav", "just-too-old", 0.001),
            new(now.AddMinutes(-50), "nav", "recent-first", 0.002),
            new(now.AddMinutes(-20), "brief", "recent-brief", 0.003),
            new(now.AddMinutes(-5), "nav", "recent-second", 0.004),
        ]);

        foreach (string zone in new[] { "Pacific/Kiritimati", "Asia/Kolkata", "America/Adak" })
        {
            var environment = new Dictionary<string, string?>
            {
                ["TZ"] = zone,
                ["SCOUT_AUDIT_PATH"] = log,
                ["HOME"] = folder.FullPath,
                ["SCOUT_AUDIT_MODULE"] = Repository.ModuleManifest,
            };

            // Typed verbatim, as the README and the design card show it.
            var headline = ShellProcess.Run(["-Command", "Get-ScoutAuditEvent -Since (Get-Date).AddHours(-1) | Where Event -eq nav"], environment);
            Assert.True(headline.ExitCode == 0 && headline.Err.Length == 0, zone + ": " + headline);
            Assert.Contains("recent-first", headline.Out);
            Assert.Contains("recent-second", headline.Out);
            Assert.DoesNotContain("too-old", headline.Out);
            Assert.DoesNotContain("recent-brief", headline.Out);

            // The same selection, as bare values, so the assertion does not depend on the table view's columns.
            var models = ShellProcess.Run(["-Command", "Get-ScoutAuditEvent -Since (Get-Date).AddHours(-1) | Where Event -eq nav | ForEach-Object Model"], environment);
            Assert.Equal("recent-first\nrecent-second\n", models.Out);
        }
    }
}
