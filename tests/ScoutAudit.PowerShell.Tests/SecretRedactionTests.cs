using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>Secrets given to Write-ScoutAuditEvent in -Config and -Property never reach the disk, unless -NoRedaction says so.</summary>
public sealed class SecretRedactionTests : ModuleLogTest
{
    private const string Secrets = """
        -Config ([ordered]@{
            model = 'gpt-4o'; max_tokens = 512; input_tokens = 42; output_tokens = 28; token_count = 3; tokenizer = 'o200k'; passage = 'text'
            api_key = 'sk-proj-0123456789abcdefghijklmnop'; password = 'hunter2'; client_secret = 'cs-1'
            headers = [ordered]@{ Authorization = 'Bearer abc.def.ghi0123456789' }
            dsn = 'Server=db;User Id=sa;Password=hunter2;'
        }) -Property ([ordered]@{ apiKey = 'k-123'; access_token = 'at-456'; refresh_token = 'rt-789'; note = 'use ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'; ticket = 'T-1' })
        """;

    [Fact]
    public void SecretsInConfigAndPropertyAreRedactedAndOrdinaryFieldsKept()
    {
        Session.Invoke($"Write-ScoutAuditEvent nav {Secrets} -Path $p", new { p = Log });

        var line = Assert.Single(File.ReadAllLines(Log));
        Assert.EndsWith(
            "\"config\": {\"model\": \"gpt-4o\", \"max_tokens\": 512, \"input_tokens\": 42, \"output_tokens\": 28, \"token_count\": 3, \"tokenizer\": \"o200k\", " +
            "\"passage\": \"text\", \"api_key\": \"[REDACTED]\", \"password\": \"[REDACTED]\", \"client_secret\": \"[REDACTED]\", " +
            "\"headers\": {\"Authorization\": \"[REDACTED]\"}, \"dsn\": \"[REDACTED]\"}, " +
            "\"apiKey\": \"[REDACTED]\", \"access_token\": \"[REDACTED]\", \"refresh_token\": \"[REDACTED]\", \"note\": \"use [REDACTED]\", \"ticket\": \"T-1\"}",
            line);
        foreach (var secret in new[] { "sk-proj", "hunter2", "cs-1", "abc.def", "k-123", "at-456", "rt-789", "ghp_" })
            Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
    }

    [Fact]
    public void NoRedactionWritesTheValuesAsGiven()
    {
        Session.Invoke($"Write-ScoutAuditEvent nav {Secrets} -NoRedaction -Path $p", new { p = Log });

        var line = Assert.Single(File.ReadAllLines(Log));
        Assert.DoesNotContain("[REDACTED]", line, StringComparison.Ordinal);
        Assert.Contains("\"api_key\": \"sk-proj-0123456789abcdefghijklmnop\"", line, StringComparison.Ordinal);
        Assert.Contains("\"dsn\": \"Server=db;User Id=sa;Password=hunter2;\"", line, StringComparison.Ordinal);
        Assert.Contains("\"access_token\": \"at-456\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigGivenAsJsonTextOrFromThePipelineIsRedactedToo()
    {
        Session.Invoke("""
            Write-ScoutAuditEvent nav -Config '{"token": "t-1", "max_tokens": 5}' -Path $p
            [pscustomobject]@{ Event = 'brief'; Config = [pscustomobject]@{ passwd = 'p-2'; tokens = 9 } } | Write-ScoutAuditEvent -Path $p
            """, new { p = Log });

        var lines = File.ReadAllLines(Log);
        Assert.EndsWith("\"config\": {\"token\": \"[REDACTED]\", \"max_tokens\": 5}}", lines[0]);
        Assert.EndsWith("\"config\": {\"passwd\": \"[REDACTED]\", \"tokens\": 9}}", lines[1]);
    }

    [Fact]
    public void PassThruReturnsTheEventAsWrittenWithItsSecretsRedacted()
    {
        var written = Assert.Single(Session.Invoke("Write-ScoutAuditEvent nav -Config @{ api_key = 'sk-x'; max_tokens = 1 } -Property @{ token = 't' } -PassThru -Path $p", new { p = Log }));

        Assert.Equal("[REDACTED]", Session.Invoke("$e.Config.api_key", new { e = written }).Single().ToString());
        Assert.Equal(1L, Session.Invoke("$e.Config.max_tokens", new { e = written }).Single().BaseObject);
        Assert.Equal("[REDACTED]", written.Properties["token"].Value);
    }

    [Theory]
    [InlineData("Write-ScoutAuditEvent nav -Config @{ api_key = $s; hook = { 1 } } -Path $p", "InvalidConfig")]
    [InlineData("Write-ScoutAuditEvent nav -Config @{ password = $s; n = [double]::NaN } -Path $p", "InvalidConfig")]
    [InlineData("[pscustomobject]@{ Event = 'nav'; Config = @{ password = $s; hook = { 1 } } } | Write-ScoutAuditEvent -Path $p", "InvalidConfig")]
    [InlineData("Write-ScoutAuditEvent nav -Config @{ password = $s; pad = ('x' * 1100000) } -Path $p", "EventTooLarge")]
    [InlineData("[pscustomobject]@{ Event = 'nav'; Config = @{ token = $s }; Reason = ('x' * 1100000) } | Write-ScoutAuditEvent -Path $p", "EventTooLarge")]
    [InlineData("[pscustomobject]@{ Event = 'nav'; Cost = -1; Config = @{ password = $s } } | Write-ScoutAuditEvent -Path $p", "InvalidEventField")]
    [InlineData("[pscustomobject]@{ Event = 'nav'; Timestamp = 'soon'; token = $s; Note = \"key=$s\" } | Write-ScoutAuditEvent -Path $p", "InvalidEventField")]
    [InlineData("[pscustomobject]@{ Event = 'nav'; Property = @{ api_key = $s; cost = 1 } } | Write-ScoutAuditEvent -Path $p", "InvalidExtraField")]
    [InlineData("Write-ScoutAuditEvent nav -Property @{ api_key = $s; 5 = 'x' } -Path $p", "InvalidExtraField")]
    [InlineData("Write-ScoutAuditEvent nav -Property @{ note = \"Bearer $s\"; cost = 1 } -Path $p", "InvalidExtraField")]
    [InlineData("Write-ScoutAuditEvent nav -Config @{ $s = { 1 } } -Path $p", "InvalidConfig")]
    [InlineData("Write-ScoutAuditEvent nav -Property @{ $s = { 1 } } -Path $p", "InvalidExtraField")]
    public void ARefusedWriteKeepsItsSecretsOutOfTheErrorRecord(string script, string errorId)
    {
        const string secret = "sk-proj-0123456789abcdefghijklmnop";

        var error = Session.Run(script, new { p = Log, s = secret }).SingleError();

        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        // What Get-Error prints, and what $Error | Export-Clixml saves.
        var shown = Session.Invoke("$e | Get-Error | Out-String -Width 500", new { e = error }).Single().ToString();
        var saved = Session.Invoke("[System.Management.Automation.PSSerializer]::Serialize($e, 4)", new { e = error }).Single().ToString();
        Assert.DoesNotContain(secret, Session.Invoke("$e.TargetObject | Format-List * -Force | Out-String -Width 500", new { e = error }).Single().ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, saved, StringComparison.Ordinal);
        Assert.False(File.Exists(Log) && File.ReadAllText(Log).Length > 0, "nothing was written");
    }

    [Theory]
    [InlineData("Reason")]
    [InlineData("Model")]
    public void AReasonOrModelThatLooksLikeACredentialIsWrittenAsGivenWithAWarningThatDoesNotRepeatIt(string field)
    {
        const string secret = "sk-proj-0123456789abcdefghijklmnop";

        var result = Session.Run($"Write-ScoutAuditEvent nav -{field} \"used $s\" -Path $p", new { p = Log, s = secret });

        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains($"-{field} looks like it holds a credential", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, warning, StringComparison.Ordinal);
        Assert.Contains(secret, File.ReadAllText(Log), StringComparison.Ordinal); // the record as given
        Assert.Empty(Session.Run("Write-ScoutAuditEvent nav -Reason 'used 4096 tokens of gpt-4o' -Model gpt-4o -Path $p", new { p = Log }).Warnings);
    }
}
