using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class FormatViewTests : ModuleLogTest
{
    private static string[] HeaderOf(string text) =>
        text.Split('\n').First(line => line.Trim().Length > 0).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void EventsShowAsATableWithTheDefaultColumns()
    {
        Session.Invoke("Write-ScoutAuditEvent nav -Cost 0.5 -Model llama -InputTokens 42 -OutputTokens 28 -Reason because -Path $p; Get-ScoutAuditEvent -Path $p | Out-Default", new { p = Log });

        var text = Session.Host.Text;
        Assert.Equal(["Timestamp", "Event", "Model", "Cost", "In", "Out", "Reason"], HeaderOf(text));
        Assert.Matches(@"\d\d-\d\d \d\d:\d\d nav\s+llama\s+0\.5\s+42\s+28 because", text);
    }

    [Fact]
    public void SmallCostsShowAsDecimalsNotInExponentForm()
    {
        Session.Invoke("Write-ScoutAuditEvent nav -Cost 0.000003 -Path $p; Get-ScoutAuditEvent -Path $p | Out-Default", new { p = Log });
        Assert.Contains(" 0.000003 ", Session.Host.Text);
        Assert.DoesNotContain("E-06", Session.Host.Text);
    }

    [Fact]
    public void EscapeSequencesFromTheLogNeverReachTheConsole()
    {
        // JSON escapes, as the original writes control characters.
        File.WriteAllText(Log,
            "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"model\": \"\\u001b[2J\", \"reason\": \"\\u001b]0;pwned\\u0007\\u001b[31mred\\u202Eevil\"}\n");

        Session.Invoke("Get-ScoutAuditEvent -Path $p | Out-Default; Get-ScoutAuditSpend -By Model -Path $p | Out-Default", new { p = Log });

        // PowerShell colours the table headers itself; only the log's own sequences must be gone.
        // Ordinal: culture comparison ignores control characters and would match "]0;" alone.
        var raw = Session.Host.RawText;
        Assert.DoesNotContain("\u001b]0;", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[2J", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[31m", raw, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', raw);
        Assert.DoesNotContain('\u202E', raw);
        Assert.Contains("\uFFFD[31mred\uFFFDevil", raw, StringComparison.Ordinal);
        Assert.Contains("\uFFFD[2J", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void SpendAccuracyAndLogInfoHaveTheirTableViews()
    {
        Session.Invoke("Write-ScoutAuditEvent nav -Cost 0.5 -Path $p; Close-ScoutAuditLog -Path $p", new { p = Log });
        Session.Invoke("Get-ScoutAuditSpend -Path $p | Out-Default", new { p = Log });
        Assert.Equal(["Group", "Cost", "Events", "In", "Out", "Since", "Until"], HeaderOf(Session.Host.Text));

        using var accuracy = new ModuleSession();
        accuracy.Invoke("Get-ScoutAuditAccuracy -Path $p | Out-Default", new { p = Log });
        Assert.Equal(["TotalNav", "ValidationFailCount", "AccuracyPct", "Since", "Until"], HeaderOf(accuracy.Host.Text));

        using var info = new ModuleSession();
        info.Invoke("Get-ScoutAuditLog -Path $p | Out-Default", new { p = Log });
        Assert.Matches(@"(?m)^Path +: " + System.Text.RegularExpressions.Regex.Escape(Log) + @"\s*$", info.Host.Text);
        Assert.Matches(@"(?m)^UnsyncedLines +: \d+\s*$", info.Host.Text);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void CostsShowAsTheLogHasThemInTablesAndListsInEveryCulture(string culture)
    {
        Session.Invoke("Write-ScoutAuditEvent nav -Cost 0.000003 -Confidence 87.5 -Path $p; Write-ScoutAuditEvent deep -Cost 12.5 -Path $p", new { p = Log });

        Session.Invoke("""
            [cultureinfo]::CurrentCulture = $c
            Get-ScoutAuditEvent -Path $p | Out-Default
            Get-ScoutAuditEvent -Path $p | Format-List | Out-Default
            Get-ScoutAuditSpend -By Event -Path $p | Out-Default
            Get-ScoutAuditSpend -Path $p | Format-List | Out-Default
            """, new { p = Log, c = culture });

        var text = Session.Host.Text;
        Assert.Matches(@"(?m) nav +0\.000003 ", text);
        Assert.Matches(@"(?m) deep +12\.5 ", text);
        Assert.Matches(@"(?m)^Cost +: 0\.000003\s*$", text);
        Assert.Matches(@"(?m)^Cost +: 12\.5\s*$", text);
        Assert.Matches(@"(?m)^Confidence +: 87\.5\s*$", text);
        Assert.Matches(@"(?m)^nav +0\.000003 ", text);
        Assert.Matches(@"(?m)^Cost +: 12\.500003\s*$", text);
        Assert.DoesNotContain("0,000003", text);
        Assert.DoesNotContain("12,5", text);
    }

    [Theory]
    [InlineData(0.000003, 8, "0.000003")]
    [InlineData(12.5, 8, "12.5")]
    [InlineData(0.0000016, 8, "0.000002")]
    [InlineData(0.123456789, 8, "0.123457")]
    [InlineData(123456.789, 8, "123456.8")]
    [InlineData(1e-9, 8, "1E-9")]
    [InlineData(123456789012.0, 8, "1.23E+11")]
    public void ACostTooLongForItsColumnIsRoundedNeverCutOnItsLeft(double cost, int width, string shown)
    {
        var text = Session.Invoke("[ScoutAudit.NumberText]::Fit($c, $w)", new { c = cost, w = width })[0].ToString()!;

        Assert.Equal(shown, text);
    }
}
