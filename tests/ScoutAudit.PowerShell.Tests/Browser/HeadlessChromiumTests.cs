using System.Text.Json;

namespace ScoutAudit.PowerShell.Tests.Browser;

/// <summary>
/// The harness the report tests stand on: it must tell a page that reaches out from one that makes
/// no request at all, read the drawn page, and save what it shows.
/// </summary>
public sealed class HeadlessChromiumTests : IDisposable
{
    // Port 9 (discard) on loopback: nothing listens, so a request fails at once and leaves the machine never.
    private const string Image = "http://127.0.0.1:9/x.png";
    private const string Fetched = "http://127.0.0.1:9/y";
    private const string Body = $"""
        <img src="{Image}">
        <script>fetch('{Fetched}').catch(() => null);</script>
        <svg width="200" height="100"><rect id="bar" width="100" height="50" fill="teal"/></svg>
        """;

    // The report's policy: nothing may be fetched, and no script runs; inline style only.
    private const string NoRequests = "default-src 'none'; style-src 'unsafe-inline'";

    private readonly TempFolder _folder = new();
    private readonly Lazy<HeadlessChromium> _browser = new(HeadlessChromium.Launch);

    private HeadlessChromium Browser => _browser.Value;

    [ChromiumFact]
    public void APageThatReachesOutHasItsRequestsRecorded()
    {
        var page = WritePage("open.html", policy: null);

        Browser.Open(page);

        var requests = Browser.Requests;
        Assert.True(requests.Count > 0 && requests[0] == new Uri(page).AbsoluteUri, Describe());
        Assert.Contains(Image, requests);
        Assert.Contains(Fetched, requests);
        Assert.Empty(Browser.CspViolations);
    }

    [ChromiumFact]
    public void APageWhosePolicyForbidsRequestsSendsNoneAndHasTheAttemptsReportedAsViolations()
    {
        var page = WritePage("closed.html", NoRequests);

        Browser.Open(page);

        // Chromium reports the image as requested, then as failed, blocked by "csp": it never reached the network.
        Assert.Equal([new Uri(page).AbsoluteUri], Browser.RequestsSent);
        Assert.Contains(new FailedRequest(Image, "", "csp"), Browser.FailedRequests);
        Assert.Contains(Image, Browser.CspViolations);
        Assert.Contains("inline", Browser.CspViolations); // the script itself, so fetch never ran
        Assert.DoesNotContain(Fetched, Browser.Requests);
    }

    [ChromiumFact]
    public void AFetchThePolicyForbidsIsAViolationAndIsNotSent()
    {
        var page = WritePage("script-only.html", "default-src 'none'; script-src 'unsafe-inline'");

        Browser.Open(page);

        // A fetch the policy refuses never reaches Network.requestWillBeSent: only the violation tells of it.
        Assert.DoesNotContain(Fetched, Browser.Requests);
        Assert.Contains(Fetched, Browser.CspViolations);
        Assert.Contains(Image, Browser.CspViolations);
        Assert.Equal([new Uri(page).AbsoluteUri], Browser.RequestsSent);
    }

    [ChromiumFact]
    public void EvaluateReadsTheDrawnSvgUnderAPolicyThatForbidsScript()
    {
        Browser.Open(WritePage("chart.html", NoRequests));

        var width = Browser.Evaluate("document.getElementById('bar').getBoundingClientRect().width");

        Assert.Equal(100, width.GetDouble());
    }

    [ChromiumFact]
    public void EvaluateThrowsWithTheTextOfTheScriptsException()
    {
        Browser.Open(new Uri(_folder.Write("empty.html", "<!DOCTYPE html><title>empty</title>")).AbsoluteUri);

        var error = Assert.Throws<InvalidOperationException>(() => Browser.Evaluate("document.querySelector('#missing').textContent"));

        Assert.Contains("TypeError", error.Message);
        Assert.Equal(JsonValueKind.Undefined, Browser.Evaluate("undefined").ValueKind);
    }

    [ChromiumFact]
    public void ScreenshotWritesAPngOfTheWholePage()
    {
        Browser.SetViewport(400, 300);
        Browser.Open(_folder.Write("tall.html", $"<!DOCTYPE html><body style='margin:0'><div style='height:2000px;background:linear-gradient(red,blue)'></div>{Body}</body>"));
        var png = _folder.File("shots", "tall.png");

        Browser.Screenshot(png);

        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.True(bytes.Length > 1024, $"{bytes.Length} bytes");
        Assert.True(PngHeight(bytes) >= 2000, $"the screenshot is {PngHeight(bytes)} px high: only the 300 px viewport?");
    }

    [ChromiumFact]
    public void AfterDisposeTheBrowserNoLongerAnswers()
    {
        Assert.Equal(2, Browser.Evaluate("1 + 1").GetInt32());

        Browser.Dispose();

        Assert.Throws<InvalidOperationException>(() => Browser.Evaluate("1 + 1"));
    }

    private string WritePage(string name, string? policy)
    {
        var meta = policy is null ? "" : $"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">";
        return _folder.Write(name, $"<!DOCTYPE html><html><head>{meta}</head><body>{Body}</body></html>");
    }

    // A PNG's IHDR holds the height, big-endian, at bytes 20 to 23.
    private static int PngHeight(byte[] png) => (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];

    private string Describe() =>
        $"requests: {string.Join(", ", Browser.Requests)}\nfailed: {string.Join(", ", Browser.FailedRequests)}\n" +
        $"violations: {string.Join(", ", Browser.CspViolations)}\nconsole: {string.Join("\n", Browser.ConsoleMessages)}";

    public void Dispose()
    {
        if (_browser.IsValueCreated) _browser.Value.Dispose();
        _folder.Dispose();
    }
}
