using System.Management.Automation;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class WriteScoutAuditEventTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ModuleSession _session = new();

    public void Dispose()
    {
        _session.Run("Close-ScoutAuditLog -Path $p", new { p = _temp.File("audit.jsonl") });
        _session.Dispose();
        _temp.Dispose();
    }

    private string Log => _temp.File("audit.jsonl");

    private string[] Lines() => File.ReadAllLines(Log);

    [Fact]
    public void WritesTheLineTheOriginalWrites()
    {
        _session.Invoke("Write-ScoutAuditEvent nav -Cost 0.000003 -Model llama-3.1-8b -InputTokens 42 -OutputTokens 28 -SessionId s-1 -Path $p", new { p = Log });

        var line = Assert.Single(Lines());
        Assert.Matches("""^\{"ts": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", "event": "nav", "session_id": "s-1", "cost": 3e-06, "model": "llama-3.1-8b", "input_t": 42, "output_t": 28\}$""", line);
    }

    [Fact]
    public void EveryOptionalFieldIsWrittenInTheOriginalsOrder()
    {
        _session.Invoke("""
            Write-ScoutAuditEvent brief -Cost 0.5 -Model m -InputTokens 1 -OutputTokens 2 -Files a.py, b.py -Reason why `
                -Confidence 87.5 -DurationMs 812 -Config ([ordered]@{ z = 1; a = 'x' }) -Property ([ordered]@{ ticket = 'T-1'; n = 2 }) -SessionId s -Path $p
            """, new { p = Log });

        Assert.EndsWith(
            "\"event\": \"brief\", \"session_id\": \"s\", \"cost\": 0.5, \"model\": \"m\", \"input_t\": 1, \"output_t\": 2, \"files\": [\"a.py\", \"b.py\"], " +
            "\"reason\": \"why\", \"confidence\": 87.5, \"duration_ms\": 812, \"config\": {\"z\": 1, \"a\": \"x\"}, \"ticket\": \"T-1\", \"n\": 2}",
            Assert.Single(Lines()));
    }

    [Fact]
    public void ConfigAcceptsHashtablesCustomObjectsAndJsonText()
    {
        _session.Invoke("""
            Write-ScoutAuditEvent a -Config @{ k = @(1, 'two', $true, $null) } -Path $p
            Write-ScoutAuditEvent b -Config ([pscustomobject]@{ outer = [pscustomobject]@{ inner = 0.25 } }) -Path $p
            Write-ScoutAuditEvent c -Config '{"from": "json", "n": [1, 2]}' -Path $p
            """, new { p = Log });

        var lines = Lines();
        Assert.EndsWith("\"config\": {\"k\": [1, \"two\", true, null]}}", lines[0]);
        Assert.EndsWith("\"config\": {\"outer\": {\"inner\": 0.25}}}", lines[1]);
        Assert.EndsWith("\"config\": {\"from\": \"json\", \"n\": [1, 2]}}", lines[2]);
    }

    [Fact]
    public void PipelineObjectsBindByPropertyNameIncludingTheOriginalNames()
    {
        _session.Invoke("""
            [pscustomobject]@{ Event = 'nav'; Cost = 0.01; Model = 'm' },
            [pscustomobject]@{ event = 'deep'; input_t = 7; output_t = 8; duration_ms = 9; session_id = 'other' } | Write-ScoutAuditEvent -Path $p
            """, new { p = Log });

        var lines = Lines();
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"event\": \"nav\"", lines[0]);
        Assert.Contains("\"cost\": 0.01, \"model\": \"m\"}", lines[0]);
        Assert.EndsWith("\"event\": \"deep\", \"session_id\": \"other\", \"input_t\": 7, \"output_t\": 8, \"duration_ms\": 9}", lines[1]);
    }

    [Fact]
    public void CsvStringsBindAndEmptyCellsAreNotGiven()
    {
        // What Import-Csv yields: every value a string, "" for an empty cell.
        _session.Invoke("""
            [pscustomobject]@{ Event = 'nav'; Cost = '0.01'; Model = 'm'; InputTokens = '42'; OutputTokens = ''; Reason = ''; Path = '/must/not/bind' } |
                Write-ScoutAuditEvent -Path $p
            """, new { p = Log });

        var line = Assert.Single(Lines());
        Assert.EndsWith("\"cost\": 0.01, \"model\": \"m\", \"input_t\": 42}", line);
        Assert.False(Directory.Exists("/must"));
    }

    [Fact]
    public void PassThruReturnsTheWrittenEventWithExtraFieldsAsNoteProperties()
    {
        var written = Assert.Single(_session.Invoke("Write-ScoutAuditEvent nav -Cost 0.25 -Property @{ ticket = 'T-9' } -PassThru -Path $p", new { p = Log }));

        Assert.Equal("ScoutAudit.AuditEvent", written.BaseObject.GetType().FullName);
        Assert.Equal(0.25, written.Properties["Cost"].Value);
        Assert.Equal("T-9", written.Properties["ticket"].Value);
        Assert.Equal("nav", written.Properties["event"].Value);
        Assert.Single(Lines());
    }

    [Fact]
    public void WithoutPassThruNothingIsReturned()
    {
        Assert.Empty(_session.Invoke("Write-ScoutAuditEvent nav -Path $p", new { p = Log }));
    }

    [Fact]
    public void WhatIfPreferenceNeverDropsAnAuditRecord()
    {
        _session.Invoke("$WhatIfPreference = $true; Write-ScoutAuditEvent nav -Path $p", new { p = Log });

        Assert.Single(Lines());
    }

    [Fact]
    public void RelativePathsResolveAgainstThePowerShellLocationNotTheProcessDirectory()
    {
        _session.Invoke("$ExecutionContext.SessionState.Path.SetLocation($d) | Out-Null; Write-ScoutAuditEvent nav -Path ./relative.jsonl", new { d = _temp.FullPath });

        Assert.True(File.Exists(_temp.File("relative.jsonl")));
        _session.Invoke("Close-ScoutAuditLog -Path $p", new { p = _temp.File("relative.jsonl") });
    }

    [Theory]
    [InlineData("-Cost -1", "-1")]
    [InlineData("-InputTokens -5", "-5")]
    [InlineData("-Confidence 101", "101")]
    [InlineData("-DurationMs -0.5", "-0.5")]
    [InlineData("-SessionId \"a`tb\"", "a\tb")]
    public void AnInvalidFieldIsATerminatingInvalidEventFieldErrorNamingTheValue(string arguments, string target)
    {
        var error = _session.Run($"Write-ScoutAuditEvent nav {arguments} -Path $p", new { p = Log }).SingleError();

        Assert.NotNull(error);
        Assert.StartsWith("InvalidEventField,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, Convert.ToString(error.TargetObject, System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsAssignableFrom<ArgumentException>(error.Exception);
        Assert.False(File.Exists(Log) && Lines().Length > 0);
        // Only a terminating error is caught without -ErrorAction Stop.
        Assert.Equal("caught", _session.Invoke($"try {{ Write-ScoutAuditEvent nav {arguments} -Path $p }} catch {{ 'caught' }}", new { p = Log }).Single().ToString());
    }

    [Fact]
    public void AnEventTypeWithAControlCharacterIsRefused()
    {
        var error = _session.Run("Write-ScoutAuditEvent \"nav`e[31m\" -Path $p", new { p = Log }).SingleError();

        Assert.StartsWith("InvalidEventField,", error?.FullyQualifiedErrorId);
        Assert.Equal("nav\u001b[31m", error!.TargetObject);
    }

    [Theory]
    [InlineData("-Config 'not json'")]
    [InlineData("-Config '[1, 2]'")]
    [InlineData("-Config '{\"password\": \"hunter2\"'")]
    public void AConfigWithoutAJsonObjectFormIsInvalidConfigNamedByItsField(string arguments)
    {
        var error = _session.Run($"Write-ScoutAuditEvent nav {arguments} -Path $p", new { p = Log }).SingleError();

        Assert.StartsWith("InvalidConfig,", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error!.CategoryInfo.Category);
        Assert.Equal("config", error.TargetObject); // not the text: it may hold a secret (issue 25)
    }

    [Fact]
    public void AConfigHoldingAScriptBlockIsRefusedNotConverted()
    {
        var error = _session.Run("Write-ScoutAuditEvent nav -Config @{ when = { Get-Date } } -Path $p", new { p = Log }).SingleError();

        Assert.StartsWith("InvalidConfig,", error?.FullyQualifiedErrorId);
        Assert.Contains("System.Management.Automation.ScriptBlock", error!.Exception.Message);
        Assert.False(File.Exists(Log));
    }

    [Fact]
    public void AnExtraFieldReusingAStandardNameIsInvalidExtraFieldWithItsValueAsTarget()
    {
        var error = _session.Run("Write-ScoutAuditEvent nav -Property @{ cost = 'sneaky' } -Path $p", new { p = Log }).SingleError();

        Assert.StartsWith("InvalidExtraField,", error?.FullyQualifiedErrorId);
        Assert.Equal("sneaky", error!.TargetObject);
    }

    [Fact]
    public void AnEventLargerThanALineMayBeIsEventTooLarge()
    {
        var error = _session.Run("Write-ScoutAuditEvent nav -Reason ([string]::new('x', 1100000)) -Path $p", new { p = Log }).SingleError();

        Assert.StartsWith("EventTooLarge,", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error!.CategoryInfo.Category);
        Assert.False(File.Exists(Log) && new FileInfo(Log).Length > 0);
    }

    [Fact]
    public void APipedRecordWithTooManyExtraFieldsIsThatRecordsErrorAndTheOthersAreWritten()
    {
        var result = _session.Run("""
            $many = @{}; foreach ($i in 1..2000) { $many["f$i"] = $i }
            [pscustomobject]@{ Event = 'first' }, [pscustomobject]@{ Event = 'many'; Property = $many }, [pscustomobject]@{ Event = 'last' } |
                Write-ScoutAuditEvent -Path $p
            """, new { p = Log });

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("TooManyExtraFields,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("The event has 2000 extra fields; at most 1024 are allowed per event.", error.Exception.Message);
        Assert.Equal("many", ((PSObject)error.TargetObject).Properties["Event"].Value);
        Assert.Equal(["first", "last"], Lines().Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("event").GetString()));
    }

    [Fact]
    public void SixtyThousandPropertyFieldsOnTheCommandLineAreRefusedAndNothingIsWritten()
    {
        var error = _session.Run("""
            $many = @{}; foreach ($i in 1..60000) { $many["f$i"] = $i }
            Write-ScoutAuditEvent nav -Property $many -Path $p
            """, new { p = Log }).SingleError();

        Assert.StartsWith("TooManyExtraFields,", error.FullyQualifiedErrorId);
        Assert.Contains("60000 extra fields", error.Exception.Message);
        Assert.False(File.Exists(Log) && new FileInfo(Log).Length > 0);
    }

    [Fact]
    public void CopyingALogWithALineOverTheCapWarnsOnReadAndRefusesThatLineAlone()
    {
        var source = _temp.File("source.jsonl");
        var head = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\"";
        var many = string.Concat(Enumerable.Range(0, 3000).Select(i => $", \"f{i}\": {i}"));
        File.WriteAllText(source, head + ", \"n\": 1}\n" + head + many + "}\n" + head + ", \"n\": 3}\n");

        var result = _session.Run("Get-ScoutAuditEvent -Path $s | Write-ScoutAuditEvent -Path $p; Close-ScoutAuditLog -Path $s", new { s = source, p = Log });

        Assert.Contains(result.Warnings, w => w.Contains("more than 1024 extra fields") && w.Contains("standard fields only"));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("TooManyExtraFields,", error.FullyQualifiedErrorId);
        Assert.Contains("read from a line with 3000 extra fields", error.Exception.Message);
        Assert.Equal([head + ", \"n\": 1}", head + ", \"n\": 3}"], Lines());

        // With a field given on the command line the event is built anew: still refused, not written without its fields.
        var copy = _temp.File("copy.jsonl");
        var rebuilt = _session.Run("Get-ScoutAuditEvent -Path $s | Write-ScoutAuditEvent -Reason copied -Path $c; Close-ScoutAuditLog -Path $c", new { s = source, c = copy });
        Assert.StartsWith("TooManyExtraFields,", Assert.Single(rebuilt.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, File.ReadAllLines(copy).Length);
    }

    [Fact]
    public void ALogThatCannotBeCreatedIsAuditLogWriteFailedWithThePathAsTarget()
    {
        File.WriteAllText(_temp.File("not-a-dir"), "");
        var path = _temp.File("not-a-dir", "audit.jsonl");

        var error = _session.Run("Write-ScoutAuditEvent nav -Path $p", new { p = path }).SingleError();

        Assert.StartsWith("AuditLogWriteFailed,", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error!.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
        Assert.NotNull(error.Exception.InnerException);
    }

    [Theory]
    [InlineData("Env:/HOME")]
    [InlineData("Variable:/PSHOME")]
    [InlineData("Function:/prompt")]
    public void ANonFileSystemPathIsAuditLogPathNotFileSystem(string path)
    {
        var error = _session.Run("Write-ScoutAuditEvent nav -Path $p", new { p = path }).SingleError();

        Assert.StartsWith("AuditLogPathNotFileSystem,", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error!.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
    }

    [Fact]
    public void ADirectoryIsAuditLogPathIsDirectory()
    {
        var error = _session.Run("Write-ScoutAuditEvent nav -Path $p", new { p = _temp.FullPath }).SingleError();

        Assert.StartsWith("AuditLogPathIsDirectory,", error?.FullyQualifiedErrorId);
        Assert.Equal(_temp.FullPath, error!.TargetObject);
    }

    [Fact]
    public void AnUnknownDriveIsAuditLogPathInvalid()
    {
        var error = _session.Run("Write-ScoutAuditEvent nav -Path NoSuchDrive:/audit.jsonl").SingleError();

        Assert.StartsWith("AuditLogPathInvalid,", error?.FullyQualifiedErrorId);
        Assert.Equal("NoSuchDrive:/audit.jsonl", error!.TargetObject);
        Assert.NotNull(error.Exception.InnerException);
    }
}
