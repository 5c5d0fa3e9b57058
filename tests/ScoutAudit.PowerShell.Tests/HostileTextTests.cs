using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Text that would act on a terminal or forge lines (newlines, U+2028, ANSI and OSC escape sequences,
/// bidi overrides): stored escaped, read back unchanged, and never sent to the console, neither by
/// the default table view, nor by the list view, nor in warnings and verbose messages.
/// </summary>
public sealed class HostileTextTests : ModuleLogTest
{
    private const string Red = "\u001b[31mred\u001b[0m";
    private const string Title = "\u001b]0;pwned\u0007";
    private const string Forged = "one\n{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"forged\", \"session_id\": \"x\"}";
    private const string Separators = "para\u2028graph\u2029end";
    private const string Bidi = "abc\u202Eevil";

    private static readonly string[] Hostile = [Red, Title, Forged, Separators, Bidi];


    private void WriteHostileEvents()
    {
        foreach (var text in Hostile)
        {
            Session.Invoke("Write-ScoutAuditEvent nav -Model $t -Reason $t -Files $t, 'b.py' -Config @{ note = $t } -Property @{ extra = $t } -Path $p; Close-ScoutAuditLog -Path $p",
                new { t = text, p = Log });
        }
    }

    /// <summary>
    /// What reached the console, less PowerShell's own styling of headers and labels ($PSStyle), so
    /// that any escape sequence left came from the log.
    /// </summary>
    private static string FromTheLog(RecordingHost host, Runspace runspace)
    {
        using var shell = System.Management.Automation.PowerShell.Create(runspace);
        var styles = shell.AddScript("$PSStyle.Formatting.TableHeader; $PSStyle.Formatting.CustomTableHeaderLabel; $PSStyle.Formatting.FormatAccent; $PSStyle.Reset").Invoke().Select(s => s.ToString()).ToList();
        var text = host.RawText;
        foreach (var style in styles.Where(s => s.Length > 0)) text = text.Replace(style, "", StringComparison.Ordinal);
        return text;
    }

    private static void AssertInert(string console)
    {
        foreach (var c in console)
        {
            Assert.False(c == '\u001b' || c == '\u0007' || c == '\u2028' || c == '\u2029' || c is >= '\u202A' and <= '\u202E',
                $"U+{(int)c:X4} reached the console:\n{console}");
        }
        Assert.DoesNotContain("\"event\": \"forged\"", console.Split('\n').Select(l => l.TrimStart()).Where(l => l.StartsWith('{')));
    }

    [Fact]
    public void HostileTextIsStoredEscapedOneLinePerEventShownInertAndExactInLine()
    {
        WriteHostileEvents();

        var bytes = File.ReadAllBytes(Log);
        Assert.All(bytes, b => Assert.True(b == '\n' || b is >= 0x20 and <= 0x7E, $"byte 0x{b:x2} in the log"));
        Assert.Equal(Hostile.Length, File.ReadAllLines(Log).Length);
        Assert.DoesNotContain(File.ReadAllLines(Log), l => l.Contains("\"event\": \"forged\"", StringComparison.Ordinal) && l.StartsWith("{\"ts\": \"2026-02-13T14:30:22.123Z\"", StringComparison.Ordinal));

        // The properties are inert (a user's own Format-Table prints them as they are); Line keeps the exact text.
        var read = Session.Invoke("Get-ScoutAuditEvent -Path $p", new { p = Log });
        var shown = Hostile.Select(text => System.Text.RegularExpressions.Regex.Replace(text, @"[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]", "\uFFFD")).ToArray();
        Assert.Equal(shown, read.Select(e => (string)e.Properties["Reason"].Value));
        Assert.Equal(shown, read.Select(e => (string)e.Properties["Model"].Value));
        Assert.Equal(shown, read.Select(e => (string)e.Properties["extra"].Value));
        Assert.Equal(shown, Session.Invoke("Get-ScoutAuditEvent -Path $p | ForEach-Object { $_.Config.note }", new { p = Log }).Select(o => o.ToString()));
        var exact = Session.Invoke("Get-ScoutAuditEvent -Path $p | ForEach-Object { $_.Line | ConvertFrom-Json }", new { p = Log });
        Assert.Equal(Hostile, exact.Select(e => (string)e.Properties["reason"].Value));
        Assert.Equal(Hostile, exact.Select(e => (string)e.Properties["extra"].Value));
    }

    [Fact]
    public void TheDefaultTableViewSendsNoEscapeSequenceFromTheLogToTheConsole()
    {
        WriteHostileEvents();

        Session.Invoke("Get-ScoutAuditEvent -Path $p | Out-Default; Get-ScoutAuditSpend -By Model -Path $p | Out-Default", new { p = Log });

        var console = FromTheLog(Session.Host, Session.Runspace);
        AssertInert(console);
        Assert.Contains("\uFFFD[31mred\uFFFD[0m", console, StringComparison.Ordinal); // shown, defused
        Assert.Contains("\uFFFD]0;pwned\uFFFD", console, StringComparison.Ordinal);
    }

    [Fact]
    public void TheListViewSendsNoEscapeSequenceFromTheLogToTheConsole()
    {
        WriteHostileEvents();
        Session.Invoke("Get-ScoutAuditEvent -Path $p | Format-List | Out-Default", new { p = Log });

        var console = FromTheLog(Session.Host, Session.Runspace);
        Assert.Contains("Reason", console, StringComparison.Ordinal); // the module's list view was used
        Assert.Contains("Extra", console, StringComparison.Ordinal);
        AssertInert(console);
        Assert.Contains("\uFFFD]0;pwned\uFFFD", console, StringComparison.Ordinal);
    }

    [Fact]
    public void WarningsAndVerboseMessagesAboutDamagedLinesCarryNoEscapeSequenceFromTheLog()
    {
        File.WriteAllText(Log,
            "{\"ts\": \"\\u001b]0;pwned\\u0007\\u001b[2J\", \"event\": \"nav\", \"session_id\": \"s\"}\n" +
            "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": \"\\u001b[31m\"}\n" +
            "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\"}\n");

        var result = Session.Run("Get-ScoutAuditEvent -Path $p -Verbose; Get-ScoutAuditSpend -Path $p -Verbose", new { p = Log });

        // Line 2 is an event whose cost has the wrong type (kept as raw JSON), as the original counts it.
        Assert.Equal(3, result.Output.Count);
        Assert.Equal(4, result.Warnings.Count); // per command: the skipped line, the field of the wrong type
        var messages = result.Warnings.Concat(result.Verbose).ToList();
        Assert.Contains(messages, m => m.StartsWith("Skipped line 1 of", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Line 2 of", StringComparison.Ordinal) && m.Contains("cost is", StringComparison.Ordinal));
        AssertInert(string.Join("\n", messages));
        Assert.Contains(messages, m => m.Contains("\uFFFD]0;pwned\uFFFD", StringComparison.Ordinal));
    }
}
