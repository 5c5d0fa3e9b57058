using System.Security.Cryptography;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Bad input at every cmdlet, one row each: the specific ErrorId it must raise, and a log that is
/// byte for byte what it was before (no event, no fragment, no archive, no file of any kind).
/// $p is an existing log with three events; $d is a directory.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ModuleSession _session = new();

    public BadInputTests()
    {
        _session.Invoke("""
            Write-ScoutAuditEvent nav -Cost 0.5 -Model m -Path $p
            Write-ScoutAuditEvent brief -Config @{ max_tokens = 512 } -Path $p
            Write-ScoutAuditEvent validation_fail -Reason why -Path $p
            Close-ScoutAuditLog -Path $p
            """, new { p = Log });
    }

    public void Dispose()
    {
        _session.Run("Close-ScoutAuditLog -Path $p", new { p = Log });
        _session.Dispose();
        _temp.Dispose();
    }

    private string Log => _temp.File("audit.jsonl");

    private const string ParameterValidation = "ParameterArgumentValidationError";
    private const string CannotConvert = "CannotConvertArgumentNoMessage";
    private const string NotANumber = "ParameterArgumentTransformationError"; // the module's own number binding (InvariantNumber)

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        // Write-ScoutAuditEvent: standard fields
        { "NaN cost", "Write-ScoutAuditEvent nav -Cost ([double]::NaN) -Path $p", "InvalidEventField" },
        { "negative cost", "Write-ScoutAuditEvent nav -Cost -0.01 -Path $p", "InvalidEventField" },
        { "infinite cost", "Write-ScoutAuditEvent nav -Cost ([double]::PositiveInfinity) -Path $p", "InvalidEventField" },
        { "cost that is no number", "Write-ScoutAuditEvent nav -Cost abc -Path $p", NotANumber },
        { "negative input tokens", "Write-ScoutAuditEvent nav -InputTokens -1 -Path $p", "InvalidEventField" },
        { "negative output tokens", "Write-ScoutAuditEvent nav -OutputTokens -42 -Path $p", "InvalidEventField" },
        { "tokens that are no number", "Write-ScoutAuditEvent nav -InputTokens 'many' -Path $p", NotANumber },
        { "confidence 101", "Write-ScoutAuditEvent nav -Confidence 101 -Path $p", "InvalidEventField" },
        { "negative confidence", "Write-ScoutAuditEvent nav -Confidence -0.5 -Path $p", "InvalidEventField" },
        { "NaN duration", "Write-ScoutAuditEvent nav -DurationMs ([double]::NaN) -Path $p", "InvalidEventField" },
        { "negative duration", "Write-ScoutAuditEvent nav -DurationMs -1 -Path $p", "InvalidEventField" },
        { "empty event type", "Write-ScoutAuditEvent '' -Path $p", "ParameterArgumentValidationErrorEmptyStringNotAllowed" },
        { "empty event type from the pipeline", "[pscustomobject]@{ Event = '' } | Write-ScoutAuditEvent -Path $p", "ParameterArgumentValidationErrorEmptyStringNotAllowed" },
        { "event type with a newline", "Write-ScoutAuditEvent \"nav`nforged\" -Path $p", "InvalidEventField" },
        { "event type with an escape sequence", "Write-ScoutAuditEvent \"nav`e[31m\" -Path $p", "InvalidEventField" },
        { "event type of 65 characters", "Write-ScoutAuditEvent ('x' * 65) -Path $p", "InvalidEventField" },
        { "session id with a newline", "Write-ScoutAuditEvent nav -SessionId \"s`n1\" -Path $p", "InvalidEventField" },
        { "event over 1 MiB", "Write-ScoutAuditEvent nav -Reason ('x' * 1100000) -Path $p", "EventTooLarge" },

        // Write-ScoutAuditEvent: -Property
        { "reserved name ts in -Property", "Write-ScoutAuditEvent nav -Property @{ ts = 'forged' } -Path $p", "InvalidExtraField" },
        { "reserved name event in -Property", "Write-ScoutAuditEvent nav -Property @{ event = 'forged' } -Path $p", "InvalidExtraField" },
        { "reserved name session_id in -Property", "Write-ScoutAuditEvent nav -Property @{ session_id = 'forged' } -Path $p", "InvalidExtraField" },
        { "reserved name cost in -Property", "Write-ScoutAuditEvent nav -Property ([ordered]@{ ok = 1; cost = 0 }) -Path $p", "InvalidExtraField" },
        { "reserved name config in -Property", "Write-ScoutAuditEvent nav -Property @{ config = @{} } -Path $p", "InvalidExtraField" },
        { "empty name in -Property", "Write-ScoutAuditEvent nav -Property @{ '' = 1 } -Path $p", "InvalidExtraField" },
        { "-Property that is no dictionary", "Write-ScoutAuditEvent nav -Property 'text' -Path $p", "InvalidExtraField" },
        { "ScriptBlock value in -Property", "Write-ScoutAuditEvent nav -Property @{ run = { Remove-Item -Recurse / } } -Path $p", "InvalidExtraField" },
        { "cycle inside -Property", "$h = @{}; $h.h = $h; Write-ScoutAuditEvent nav -Property @{ x = $h } -Path $p", "InvalidExtraField" },
        { "script block in -Property", "Write-ScoutAuditEvent nav -Property @{ at = { Get-Date } } -Path $p", "InvalidExtraField" },

        // Write-ScoutAuditEvent: -Config
        { "cyclic -Config", "$c = @{ n = 1 }; $c.self = $c; Write-ScoutAuditEvent nav -Config $c -Path $p", "InvalidConfig" },
        { "cyclic custom object -Config", "$o = [pscustomobject]@{ n = 1 }; $o.psobject.Properties.Add([psnoteproperty]::new('self', $o)); Write-ScoutAuditEvent nav -Config $o -Path $p", "InvalidConfig" },
        { "1,000-deep -Config", "$c = @{}; $x = $c; foreach ($i in 1..1000) { $n = @{}; $x.d = $n; $x = $n }; Write-ScoutAuditEvent nav -Config $c -Path $p", "InvalidConfig" },
        { "1,000-deep JSON text -Config", "Write-ScoutAuditEvent nav -Config (('{\"d\": ' * 1000) + '1' + ('}' * 1000)) -Path $p", "InvalidConfig" },
        { "ScriptBlock -Config", "Write-ScoutAuditEvent nav -Config { 1 } -Path $p", "InvalidConfig" },
        { "ScriptBlock inside -Config", "Write-ScoutAuditEvent nav -Config @{ hook = { 1 } } -Path $p", "InvalidConfig" },
        { "NaN inside -Config", "Write-ScoutAuditEvent nav -Config @{ t = [double]::NaN } -Path $p", "InvalidConfig" },
        { "number key in -Config", "Write-ScoutAuditEvent nav -Config @{ 1 = 'x' } -Path $p", "InvalidConfig" },
        { "array as -Config", "Write-ScoutAuditEvent nav -Config (1, 2) -Path $p", "InvalidConfig" },
        { "text that is not JSON as -Config", "Write-ScoutAuditEvent nav -Config 'temperature=0.2' -Path $p", "InvalidConfig" },

        // Paths
        { "registry path", "Write-ScoutAuditEvent nav -Path 'HKLM:\\SOFTWARE\\Scout\\audit.jsonl'", OperatingSystem.IsWindows() ? "AuditLogPathNotFileSystem" : "AuditLogPathInvalid" },
        { "variable: path", "Write-ScoutAuditEvent nav -Path variable:/audit", "AuditLogPathNotFileSystem" },
        { "env: path", "Write-ScoutAuditEvent nav -Path env:/SCOUT_AUDIT_PATH", "AuditLogPathNotFileSystem" },
        { "function: path for a query", "Get-ScoutAuditEvent -Path function:/prompt", "AuditLogPathNotFileSystem" },
        { "variable: path for a rotation", "Invoke-ScoutAuditRotation -Path variable:/audit -Confirm:$false", "AuditLogPathNotFileSystem" },
        { "directory as -Path", "Write-ScoutAuditEvent nav -Path $d", "AuditLogPathIsDirectory" },
        { "directory as -Path for a query", "Get-ScoutAuditSpend -Path $d", "AuditLogPathIsDirectory" },

        // Queries
        { "-Since after -Until", "Get-ScoutAuditEvent -Since ([datetime]::Now) -Until ([datetime]::Now.AddDays(-1)) -Path $p", "InvalidTimeWindow" },
        { "-Since after -Until for spend", "Get-ScoutAuditSpend -Since ([datetime]::Now) -Until ([datetime]::Now.AddHours(-1)) -Path $p", "InvalidTimeWindow" },
        { "-Since after -Until for accuracy", "Get-ScoutAuditAccuracy -Since ([datetime]::Now) -Until ([datetime]::Now.AddSeconds(-1)) -Path $p", "InvalidTimeWindow" },
        { "-Last 0", "Get-ScoutAuditEvent -Last 0 -Path $p", ParameterValidation },
        { "-Last -5", "Get-ScoutAuditEvent -Last -5 -Path $p", ParameterValidation },
        { "empty -Event filter", "Get-ScoutAuditEvent -Event '' -Path $p", ParameterValidation },
        { "-Hours 0", "Get-ScoutAuditSpend -Hours 0 -Path $p", ParameterValidation },
        { "-Hours -1", "Get-ScoutAuditSpend -Hours -1 -Path $p", ParameterValidation },
        { "unknown -By", "Get-ScoutAuditSpend -By Weekday -Path $p", CannotConvert },

        // Settings
        { "sync interval over an hour", "Set-ScoutAuditLog -SyncInterval ([timespan]::FromHours(2)) -Path $p", "InvalidLogSetting" },
        { "negative rotation size", "Set-ScoutAuditLog -RotationSize -1 -Path $p", ParameterValidation },
        { "sync every 0 lines", "Set-ScoutAuditLog -SyncEveryLines 0 -Path $p", ParameterValidation },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputRaisesItsErrorIdAndLeavesTheLogByteIdentical(string input, string script, string errorId)
    {
        var before = Fingerprint();

        var result = _session.Run(script, new { p = Log, d = _temp.FullPath });

        var error = result.SingleError();
        Assert.True(error.FullyQualifiedErrorId.StartsWith(errorId + ",", StringComparison.Ordinal),
            $"{input}: expected {errorId}, got {error.FullyQualifiedErrorId}: {error.Exception.Message}");
        Assert.Empty(result.Output);
        _session.Invoke("Close-ScoutAuditLog -Path $p", new { p = Log });
        Assert.Equal(before, Fingerprint());
    }

    [Theory]
    [InlineData("$c = @{ n = 1 }; $c.self = $c; Write-ScoutAuditEvent nav -Config $c -Path $p")]
    [InlineData("$o = [pscustomobject]@{ n = 1 }; $o.psobject.Properties.Add([psnoteproperty]::new('self', $o)); Write-ScoutAuditEvent nav -Config $o -Path $p")]
    [InlineData("$o = [pscustomobject]@{ n = 1 }; $o.psobject.Properties.Add([psnoteproperty]::new('self', @($o))); Write-ScoutAuditEvent nav -Property @{ x = $o } -Path $p")]
    public void ACycleIsCalledACycle(string script)
    {
        var error = _session.Run(script, new { p = Log }).SingleError();

        Assert.Contains("contains itself (a cycle at ", error.Exception.Message);
    }

    [Fact]
    public void ThereAreAtLeastTwentyFiveBadInputs() => Assert.True(BadInputs().Count >= 25);

    /// <summary>Every file in the log's directory with its SHA-256: the log, its lock files, any archive or index.</summary>
    private string Fingerprint() =>
        string.Join("\n", Directory.GetFiles(_temp.FullPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
