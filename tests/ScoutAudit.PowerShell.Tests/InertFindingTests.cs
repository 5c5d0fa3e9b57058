using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Text a tamperer writes into the archive index (a removal's reason and time, a key id, an archive
/// name, a digest, a <c>prev</c>) or into the <c>.verified</c> state (its chain head) is
/// quoted by Test-ScoutAuditLog's findings. None of it reaches the console raw: not in the default
/// view, the list view, the table, nor the verbose messages, with or without -Quiet. The same holds
/// for a log whose own path carries such text, in the views and messages of Remove-ScoutAuditArchive,
/// Get-ScoutAuditLog and Test-ScoutAuditLog. PowerShell's own colours use ESC too, so the tests look
/// for the injected sequences, not for any ESC.
/// </summary>
public sealed class InertFindingTests : ModuleLogTest
{
    private const string ClearScreen = "\u001b[2J";
    private const string Title = "\u001b]0;pwned\u0007";
    private const string RightToLeftOverride = "\u202E";
    private const string LeftToRightIsolate = "\u2066";

    private const string HostileReason = ClearScreen + "retention" + RightToLeftOverride + "lanoitnetni";
    private const string ValidTime = "2026-02-13T14:30:22.123Z";
    private const string HostileKey = ClearScreen + "key";
    private const string HostileArchive = "audit_" + ClearScreen + LeftToRightIsolate + ".jsonl.gz";
    private const string HostileDigest = Title + "digest";
    private const string HostilePrevious = ClearScreen + RightToLeftOverride;
    private const string HostileChainHead = ClearScreen + "head";

    /// <summary>What must not reach the console: each injected sequence, and the characters that make one.</summary>
    private static void AssertNothingInjected(string console)
    {
        // Ordinal: a culture comparison ignores control characters and would match "]0;" alone.
        Assert.DoesNotContain(ClearScreen, console, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b]0;", console, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', console);
        Assert.DoesNotContain(RightToLeftOverride, console, StringComparison.Ordinal);
        Assert.DoesNotContain(LeftToRightIsolate, console, StringComparison.Ordinal);
    }

    /// <summary>
    /// A history of two archives and an active file, then an index the tamperer extends by hand, each
    /// line chained to the one before it as the format expects (<c>seq</c>, <c>prev</c>): the
    /// removal of the first archive (which stays on disk) with a hostile reason, time and key id, and
    /// the entry of an archive with a hostile name and digest whose <c>prev</c> is hostile too; and a
    /// <c>.verified</c> state that claims a longer chain and a longer active file, verified at a
    /// hostile time. Returns the public key file to verify with (it signed nothing).
    /// </summary>
    private string ForgeIndexAndState()
    {
        Session.Invoke("""
            Write-ScoutAuditEvent nav -Path $p; $null = Invoke-ScoutAuditRotation -LiteralPath $p -Confirm:$false
            Write-ScoutAuditEvent nav -Path $p; $null = Invoke-ScoutAuditRotation -LiteralPath $p -Confirm:$false
            Write-ScoutAuditEvent deep -Path $p; Close-ScoutAuditLog -LiteralPath $p
            """, new { p = Log });
        var index = Temp.File("audit.index.jsonl");
        var lines = File.ReadAllLines(index).ToList();
        Assert.Equal(4, lines.Count); // the seal and the archive entry of each rotation
        using var first = JsonDocument.Parse(lines[1]);
        var removal = Json(new Dictionary<string, object?>
        {
            ["removed"] = first.RootElement.GetProperty("archive").GetString(),
            ["first_ts"] = first.RootElement.GetProperty("first_ts").GetString(),
            ["last_ts"] = first.RootElement.GetProperty("last_ts").GetString(),
            ["lines"] = first.RootElement.GetProperty("lines").GetInt64(),
            ["bytes"] = first.RootElement.GetProperty("bytes").GetInt64(),
            ["gz_bytes"] = first.RootElement.GetProperty("gz_bytes").GetInt64(),
            ["sha256"] = first.RootElement.GetProperty("sha256").GetString(),
            ["at"] = ValidTime, // times are read as times: a hostile one makes the line damage, shown as nothing
            ["reason"] = HostileReason,
            ["seq"] = 4,
            ["prev"] = Sha256(lines[3]),
            ["key"] = HostileKey,
            ["sig"] = "AAAA",
        });
        var hostileEntry = Json(new Dictionary<string, object?>
        {
            ["archive"] = HostileArchive,
            ["first_ts"] = null,
            ["last_ts"] = null,
            ["lines"] = 1,
            ["bytes"] = 10,
            ["gz_bytes"] = 30,
            ["sha256"] = HostileDigest,
            ["seq"] = 5,
            ["prev"] = HostilePrevious,
        });
        File.AppendAllText(index, removal + "\n" + hostileEntry + "\n");

        var firstLine = File.ReadAllLines(Log)[0];
        File.WriteAllText(Log + ".verified", Json(new Dictionary<string, object?>
        {
            ["ActiveInode"] = null,
            ["ActiveFirstLine"] = Sha256(firstLine),
            ["ActiveLength"] = 1_000_000,
            ["ChainSequence"] = 99,
            ["ChainHead"] = HostileChainHead,
            ["At"] = ValidTime,
        }));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Temp.Write("public.pem", key.ExportSubjectPublicKeyInfoPem());
    }

    private static string Json(Dictionary<string, object?> members) => JsonSerializer.Serialize(members);

    private static string Sha256(string line) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(line))).ToLowerInvariant();

    /// <summary>The findings that quote the forged text, each named in what the console shows.</summary>
    private static readonly string[] KindsQuotingForgedText =
        ["RemovedArchivePresent", "SignedByOtherKey", "ChainBroken", "ArchiveMissing", "ChainTruncated", "FileShrunk"];

    [Fact]
    public void TheDefaultViewOfFindingsShowsForgedIndexAndStateTextDefused()
    {
        var key = ForgeIndexAndState();

        Session.Invoke("Test-ScoutAuditLog -Path $p -PublicKey $k | Out-Default", new { p = Log, k = key });

        var console = Session.Host.RawText;
        AssertNothingInjected(console);
        foreach (var kind in KindsQuotingForgedText) Assert.Contains(kind, console, StringComparison.Ordinal);
        Assert.Contains("\uFFFD[2Jretention\uFFFDlanoitnetni", console, StringComparison.Ordinal); // shown, defused
        Assert.Contains("\uFFFD]0;pwned\uFFFD", console, StringComparison.Ordinal);
        Assert.Contains("Failed", console, StringComparison.Ordinal);
    }

    [Fact]
    public void TheListViewOfFindingsShowsForgedIndexAndStateTextDefused()
    {
        var key = ForgeIndexAndState();

        Session.Invoke("Test-ScoutAuditLog -Path $p -PublicKey $k | Format-List | Out-Default", new { p = Log, k = key });

        var console = Session.Host.RawText;
        AssertNothingInjected(console);
        foreach (var kind in KindsQuotingForgedText) Assert.Contains(kind, console, StringComparison.Ordinal);
        Assert.Contains("audit_\uFFFD[2J\uFFFD.jsonl.gz", console, StringComparison.Ordinal);
        Assert.Contains("SignaturesChecked", console, StringComparison.Ordinal); // the summary has its list too
    }

    [Fact]
    public void TheTableOfFindingsShowsForgedIndexAndStateTextDefused()
    {
        var key = ForgeIndexAndState();

        Session.Invoke("Test-ScoutAuditLog -Path $p -PublicKey $k | Format-Table | Out-Default", new { p = Log, k = key });

        var console = Session.Host.RawText;
        AssertNothingInjected(console);
        foreach (var kind in KindsQuotingForgedText) Assert.Contains(kind, console, StringComparison.Ordinal);
    }

    [Fact]
    public void VerboseMessagesWithAndWithoutQuietCarryForgedTextDefused()
    {
        var key = ForgeIndexAndState();

        var report = Session.Run("Test-ScoutAuditLog -Path $p -PublicKey $k -Verbose", new { p = Log, k = key });
        var quiet = Session.Run("Test-ScoutAuditLog -Path $p -PublicKey $k -Quiet -Verbose", new { p = Log, k = key });

        Assert.False((bool)quiet.Output.Single().BaseObject);
        var messages = report.Verbose.Concat(report.Warnings).Concat(quiet.Verbose).Concat(quiet.Warnings).ToList();
        AssertNothingInjected(string.Join("\n", messages));
        Assert.Contains(quiet.Verbose, m => m.Contains("records this archive as removed", StringComparison.Ordinal));
        Assert.Contains(quiet.Verbose, m => m.Contains("\uFFFD[2Jretention\uFFFDlanoitnetni", StringComparison.Ordinal));
        Assert.Contains(quiet.Verbose, m => m.Contains("reached entry 99 when it was verified at 2026-02-13T14:30:22.123Z", StringComparison.Ordinal));
    }

    [Fact]
    public void FindingsKeepTheTruePathForScriptsAndDefuseTheirProse()
    {
        var key = ForgeIndexAndState();

        var findings = Session.Invoke("Test-ScoutAuditLog -Path $p -PublicKey $k | Where-Object Severity", new { p = Log, k = key });
        string? Text(System.Management.Automation.PSObject finding, string name) => finding.Properties[name].Value?.ToString();

        // A path is what a script compares with a file or passes to Get-FileHash: it stays as recorded.
        Assert.Contains(findings, f => Text(f, "Kind") == "ArchiveMissing" && Text(f, "Path") == Temp.File(HostileArchive));
        Assert.All(findings, f => Assert.Equal(Log, Text(f, "Log")));
        // The sentences the verifier wrote for a person, which scripts print, carry no raw control.
        AssertNothingInjected(string.Join("\n", findings.SelectMany(f => new[] { Text(f, "Message"), Text(f, "Expected"), Text(f, "Actual"), f.ToString() })));
        Assert.Contains(findings, f => Text(f, "Actual") == "key \uFFFD[2Jkey");
    }

    /// <summary>A directory whose name carries what the tests look for (no '[': PowerShell's paths take it as a wildcard).</summary>
    private string HostileLog()
    {
        var folder = Temp.File("logs" + Title + RightToLeftOverride + LeftToRightIsolate);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "audit.jsonl");
    }

    private static void AssertNoInjectedTitle(string console)
    {
        Assert.DoesNotContain("\u001b]0;", console, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', console);
        Assert.DoesNotContain(RightToLeftOverride, console, StringComparison.Ordinal);
        Assert.DoesNotContain(LeftToRightIsolate, console, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovalRecordsOfALogWhosePathHoldsEscapesShowItDefused()
    {
        var log = HostileLog();
        try
        {
            Session.Invoke("""
                Write-ScoutAuditEvent nav -Path $p; $null = Invoke-ScoutAuditRotation -LiteralPath $p -Confirm:$false
                Write-ScoutAuditEvent nav -Path $p; $null = Invoke-ScoutAuditRotation -LiteralPath $p -Confirm:$false
                """, new { p = log });

            var whatIf = Session.Run("Remove-ScoutAuditArchive -LiteralPath $p -Keep 0 -WhatIf", new { p = log });
            var removed = Session.Run("Remove-ScoutAuditArchive -LiteralPath $p -Keep 1 -Confirm:$false -PassThru -Verbose | Out-Default", new { p = log });
            Session.Invoke("Get-ScoutAuditLog -LiteralPath $p | Out-Default; Get-ScoutAuditLog -LiteralPath $p | Format-Table | Out-Default", new { p = log });

            Assert.Empty(whatIf.Errors);
            Assert.Empty(removed.Errors);
            var console = Session.Host.RawText + string.Join("\n", removed.Verbose.Concat(removed.Warnings));
            AssertNoInjectedTitle(console);
            Assert.Contains("logs\uFFFD]0;pwned\uFFFD\uFFFD\uFFFD", console, StringComparison.Ordinal);
            Assert.Single(removed.Verbose, m => m.StartsWith("Removed ", StringComparison.Ordinal));
            // The object keeps the true path, for a script to use.
            Assert.StartsWith(Path.GetDirectoryName(log)!, (string)Session.Invoke("(Remove-ScoutAuditArchive -LiteralPath $p -Keep 0 -Confirm:$false -PassThru).Path", new { p = log }).Single().BaseObject, StringComparison.Ordinal);
        }
        finally
        {
            Session.Run("Close-ScoutAuditLog -LiteralPath $p", new { p = log });
        }
    }

    [Fact]
    public void TheVerificationOfALogWhosePathHoldsEscapesShowsItDefused()
    {
        var log = HostileLog();
        try
        {
            Session.Invoke("Write-ScoutAuditEvent nav -Path $p; $null = Invoke-ScoutAuditRotation -LiteralPath $p -Confirm:$false; Close-ScoutAuditLog -LiteralPath $p", new { p = log });
            File.Delete(Path.Combine(Path.GetDirectoryName(log)!, "audit.index.jsonl")); // an unchained archive, to adopt

            var whatIf = Session.Run("Register-ScoutAuditArchive -LiteralPath $p -WhatIf", new { p = log });
            var verbose = Session.Run("Register-ScoutAuditArchive -LiteralPath $p -Confirm:$false -Verbose | Out-Default; Test-ScoutAuditLog -LiteralPath $p | Format-List | Out-Default", new { p = log });

            Assert.Empty(whatIf.Errors);
            Assert.Empty(verbose.Errors);
            var console = Session.Host.RawText + string.Join("\n", verbose.Verbose.Concat(verbose.Warnings));
            AssertNoInjectedTitle(console);
            Assert.Contains(verbose.Verbose, m => m.StartsWith("Added to the chain: ", StringComparison.Ordinal));
            Assert.Contains("Verified", console, StringComparison.Ordinal);
            Assert.Contains("logs\uFFFD]0;pwned\uFFFD\uFFFD\uFFFD", console, StringComparison.Ordinal);
        }
        finally
        {
            Session.Run("Close-ScoutAuditLog -LiteralPath $p", new { p = log });
        }
    }

    /// <summary>An error's message names the log; a path with escape sequences reaches the host's error view defused.</summary>
    [Fact]
    public void AnErrorNamingALogWhosePathHoldsEscapesShowsItDefused()
    {
        var log = HostileLog();
        File.Delete(log);

        var run = Session.Run("Test-ScoutAuditLog -Path $p", new { p = log });

        var error = Assert.Single(run.Errors);
        Assert.Equal("AuditLogNotFound,ScoutAudit.PowerShell.Commands.TestScoutAuditLogCommand", error.FullyQualifiedErrorId);
        AssertNoInjectedTitle(error.ErrorDetails!.Message);
        Assert.Contains("logs\uFFFD]0;pwned\uFFFD", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Equal(log, error.TargetObject); // the target stays the true path, for a script
    }
}
