using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using ScoutAudit.PowerShell.Tests.Browser;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// Export-ScoutAuditReport's page in headless Chromium, as whoever it is sent to opens it: a
/// 30-day history of four models (one named with markup) and failure reasons (one with markup)
/// makes a page that requests nothing, whose five charts drew, whose tables hold the numbers
/// Get-ScoutAuditSpend and Get-ScoutAuditAccuracy give for the same days, and that shows the markup as text.
/// The page and two screenshots are saved under TestResults/report for people to look at; the
/// README's image is report.png from there.
/// </summary>
public sealed class HtmlReportTests : IDisposable
{
    private const string HostileModel = "<script>alert('model')</script>";
    private const string HostileReason = "<img src=x onerror=alert(1)>";
    private const string HostileTitle = "Runbooks <b>October</b>";
    private static readonly DateTimeOffset Since = new(2026, 10, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = Since.AddDays(30);

    private readonly TempFolder _temp = new();
    private readonly ModuleSession _session = new();

    public void Dispose()
    {
        _session.Dispose();
        _temp.Dispose();
    }

    private string Log => _temp.File("audit.jsonl");

    /// <summary>About 40 events a day for 30 days (and a few outside), rotating, from a fixed seed.</summary>
    private void WriteHistory()
    {
        _session.Invoke("""
            $random = [Random]::new(2026)
            $models = 'gpt-4o-mini', 'llama-3.1-8b', 'claude-3-5-sonnet', $hostileModel
            $reasons = 'schema mismatch', 'timeout', 'file not found', $hostileReason
            Set-ScoutAuditLog -Path $log -RotationSize 64KB
            $events = foreach ($minute in 0..(31 * 24 * 60)) {
                if ($random.Next(36) -ne 0) { continue }
                $type = ('nav', 'nav', 'nav', 'validation_fail', 'brief')[$random.Next(5)]
                [pscustomobject]@{
                    Event = $type
                    Timestamp = $since.AddHours(-12).AddMinutes($minute)
                    Model = $models[$random.Next(4)]
                    Cost = [math]::Round($random.NextDouble() / 40, 6)
                    InputTokens = $random.Next(100, 6000)
                    OutputTokens = $random.Next(10, 900)
                    SessionId = "session-$($random.Next(25))"
                    Reason = if ($type -eq 'validation_fail') { $reasons[$random.Next(4)] } else { 'ok' }
                }
            }
            $events | Write-ScoutAuditEvent -Path $log
            Close-ScoutAuditLog -Path $log
            """, new { log = Log, since = Since, hostileModel = HostileModel, hostileReason = HostileReason });
    }

    private static decimal Money(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static long Count(string text) => long.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>The text of every cell of a table's body, row by row.</summary>
    private static List<string[]> Rows(HeadlessChromium browser, string table) =>
        [.. browser.Evaluate($"[...document.querySelectorAll('#{table} tbody tr')].map(tr => [...tr.children].map(cell => cell.textContent))")
            .EnumerateArray().Select(row => row.EnumerateArray().Select(cell => cell.GetString()!).ToArray())];

    [ChromiumFact]
    public void TheReportRequestsNothingDrawsItsChartsShowsTheCmdletsNumbersAndShowsMarkupAsText()
    {
        WriteHistory();
        var output = Repository.File("TestResults", "report");
        Directory.CreateDirectory(output);
        var page = Path.Combine(output, "report.html");
        _session.Invoke("Export-ScoutAuditReport -Path $log -OutFile $page -Since $since -Until $until -Budget 1 -Title $title",
            new { page, log = Log, since = Since, until = Until, title = HostileTitle });

        using var browser = HeadlessChromium.Launch();
        browser.SetViewport(1100, 1400);
        browser.Open(page);
        browser.Screenshot(Path.Combine(output, "report.png"), fullPage: false);
        browser.Screenshot(Path.Combine(output, "report-full.png"));

        // Nothing left the page: the file itself is the only request, and nothing was refused.
        Assert.Equal([new Uri(page).AbsoluteUri], browser.RequestsSent);
        Assert.Empty(browser.CspViolations);

        // The five charts drew: each has a size on screen and its marks (bars, lines, points).
        var charts = browser.Evaluate("""
            [...document.querySelectorAll('svg.chart')].map(svg => {
                const box = svg.getBoundingClientRect();
                return { width: box.width, height: box.height, marks: svg.querySelectorAll('rect, polyline, ellipse').length };
            })
            """).EnumerateArray().ToList();
        Assert.Equal(5, charts.Count);
        Assert.All(charts, chart =>
        {
            Assert.True(chart.GetProperty("width").GetDouble() > 500, chart.ToString());
            Assert.True(chart.GetProperty("height").GetDouble() > 150, chart.ToString());
        });
        Assert.True(charts[0].GetProperty("marks").GetInt32() > 4 * 30, "the spend chart has a bar for each model's day");

        // The tables hold the cmdlets' numbers for the same days.
        var byDay = _session.Invoke("Get-ScoutAuditSpend -Path $log -Since $since -Until $until -By Day", new { log = Log, since = Since, until = Until })
            .ToDictionary(row => (string)row.Properties["Group"].Value);
        var spendRows = Rows(browser, "spend-table");
        Assert.Equal(30, spendRows.Count);
        foreach (var row in spendRows)
        {
            var expected = byDay[row[0]];
            Assert.Equal((decimal)expected.Properties["Cost"].Value, Money(row[1]));
            Assert.Equal((long)expected.Properties["Events"].Value, Count(row[^2]));
            Assert.Equal((decimal)expected.Properties["Cost"].Value > 1m ? "yes" : "", row[^1]);
        }
        foreach (var row in Rows(browser, "tokens-table"))
        {
            Assert.Equal((long)byDay[row[0]].Properties["InputTokens"].Value, Count(row[1]));
            Assert.Equal((long)byDay[row[0]].Properties["OutputTokens"].Value, Count(row[2]));
        }
        foreach (var row in Rows(browser, "accuracy-table"))
        {
            var day = DateTimeOffset.Parse(row[0] + "T00:00:00Z", CultureInfo.InvariantCulture);
            var accuracy = Assert.Single(_session.Invoke("Get-ScoutAuditAccuracy -Path $log -Since $day -Until $day.AddDays(1)", new { log = Log, day }));
            Assert.Equal((long)accuracy.Properties["TotalNav"].Value, Count(row[1]));
            Assert.Equal((long)accuracy.Properties["ValidationFailCount"].Value, Count(row[2]));
            Assert.Equal(((double)accuracy.Properties["AccuracyPct"].Value).ToString("0.00", CultureInfo.InvariantCulture), row[3]);
        }
        var byModel = _session.Invoke("Get-ScoutAuditSpend -Path $log -Since $since -Until $until -By Model", new { log = Log, since = Since, until = Until });
        Assert.Equal(byModel.Select(m => ((string)m.Properties["Group"].Value, (decimal)m.Properties["Cost"].Value)),
            Rows(browser, "models-table").Select(row => (row[0], Money(row[1]))));
        var total = Assert.Single(_session.Invoke("Get-ScoutAuditSpend -Path $log -Since $since -Until $until", new { log = Log, since = Since, until = Until }));
        Assert.Contains("$" + ((decimal)total.Properties["Cost"].Value).ToString(CultureInfo.InvariantCulture), browser.Evaluate("document.querySelector('#totals').textContent").GetString());

        // Markup from the log and from the title is text on the page, not elements.
        Assert.Equal(0, browser.Evaluate("document.querySelectorAll('script, img, iframe, object, embed, b').length").GetInt32());
        Assert.Contains(HostileModel, Rows(browser, "models-table").Select(row => row[0]));
        Assert.Contains(HostileModel, browser.Evaluate("[...document.querySelectorAll('#spend .legend li')].map(li => li.textContent)").EnumerateArray().Select(li => li.GetString()));
        Assert.Contains(HostileReason, Rows(browser, "reasons-table").Select(row => row[0]));
        Assert.Equal(HostileTitle, browser.Evaluate("document.title").GetString());
        Assert.Equal(HostileTitle, browser.Evaluate("document.querySelector('h1').textContent").GetString());
        Assert.True(new FileInfo(Path.Combine(output, "report.png")).Length > 20_000);
    }
}
