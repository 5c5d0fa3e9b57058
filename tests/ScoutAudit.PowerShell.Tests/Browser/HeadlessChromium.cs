using System.Text.Json;
using PuppeteerSharp;

namespace ScoutAudit.PowerShell.Tests.Browser;

/// <summary>
/// One headless Chromium with one page, driven by PuppeteerSharp: open a file, see every request it
/// attempted and every Content-Security-Policy violation, evaluate script, take screenshots.
/// Chromium is <c>$SCOUT_CHROMIUM</c>, else <c>chromium</c>, <c>chromium-browser</c> or
/// <c>google-chrome</c> on PATH; PuppeteerSharp is given its path and never downloads a browser.
/// Every call gives up after 30 s, so that no test hangs.
/// A page made no request when <see cref="RequestsSent"/> is the page alone and
/// <see cref="CspViolations"/> is empty: the first misses nothing that reached the network, the
/// second catches what the page's policy stopped before it (a refused fetch leaves no other trace).
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string PathVariable = "SCOUT_CHROMIUM";

    /// <summary>Set to 1 (as CI does) so that a missing Chromium fails the browser tests instead of skipping them.</summary>
    public const string RequireVariable = "SCOUT_REQUIRE_CHROMIUM";

    /// <summary>The name of the function exposed in every page to report CSP violations.</summary>
    private const string CspBinding = "__scoutAuditCspViolation";

    private static readonly string[] ExecutableNames = ["chromium", "chromium-browser", "google-chrome"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<(string? Path, string? Problem)> Located = new(Locate);

    private readonly IBrowser _browser;
    private readonly IPage _page;
    private readonly object _gate = new();
    private readonly List<string> _requests = [];
    private readonly Dictionary<string, string> _requestUrls = [];
    private readonly List<FailedRequest> _failedRequests = [];
    private readonly List<string> _cspViolations = [];
    private readonly List<string> _consoleMessages = [];
    private bool _disposed;

    private HeadlessChromium(IBrowser browser, IPage page)
    {
        _browser = browser;
        _page = page;
    }

    /// <summary>True when <c>SCOUT_REQUIRE_CHROMIUM=1</c>.</summary>
    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The Chromium executable found, or null.</summary>
    public static string? Executable => Located.Value.Path;

    /// <summary>The skip message for browser tests, or null when they must run (Chromium present, or required).</summary>
    public static string? SkipReason => Located.Value.Problem is { } why && !IsRequired ? why : null;

    /// <summary>
    /// Every URL requested since <see cref="Open"/> (Network.requestWillBeSent), the page itself first.
    /// An image or style the page's CSP blocks is here, and then in <see cref="FailedRequests"/> as
    /// blocked by <c>csp</c>; a fetch the CSP refuses is not here at all, only in <see cref="CspViolations"/>.
    /// </summary>
    public IReadOnlyList<string> Requests => Snapshot(_requests);

    /// <summary>
    /// The URLs of <see cref="Requests"/> that Chromium did not block itself (by CSP, or for mixed
    /// content, ...): those that reached the network stack, whether or not they were answered.
    /// </summary>
    public IReadOnlyList<string> RequestsSent
    {
        get
        {
            lock (_gate)
            {
                var blocked = _failedRequests.Where(failed => failed.BlockedReason is not null).Select(failed => failed.Url).ToHashSet();
                return _requests.Where(url => !blocked.Contains(url)).ToArray();
            }
        }
    }

    /// <summary>Requests since <see cref="Open"/> that did not complete, with the reason (<c>csp</c> when the page's policy blocked them).</summary>
    public IReadOnlyList<FailedRequest> FailedRequests => Snapshot(_failedRequests);

    /// <summary>The blocked URI of every <c>securitypolicyviolation</c> since <see cref="Open"/> (<c>inline</c> for inline script or style).</summary>
    public IReadOnlyList<string> CspViolations => Snapshot(_cspViolations);

    /// <summary>Console output, browser log entries and uncaught exceptions since <see cref="Open"/>, as "console level: text" or "exception error: text".</summary>
    public IReadOnlyList<string> ConsoleMessages => Snapshot(_consoleMessages);

    /// <summary>Starts Chromium on about:blank and connects to its page.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not installed, or does not start or answer in time.</exception>
    public static HeadlessChromium Launch()
    {
        var executable = Executable ?? throw new InvalidOperationException(
            $"{Located.Value.Problem}; {RequireVariable}=1 makes this a failure instead of a skip.");
        var options = new LaunchOptions
        {
            ExecutablePath = executable,
            HeadlessMode = HeadlessMode.True, // --headless=new
            Args =
            [
                "--no-sandbox", // root in a container has no user namespace for the sandbox
                "--disable-gpu",
            ],
            DefaultViewport = null, // Chromium's own window until SetViewport
            Timeout = (int)Timeout.TotalMilliseconds,
            ProtocolTimeout = (int)Timeout.TotalMilliseconds,
        };
        var browser = Wait(Puppeteer.LaunchAsync(options), $"Chromium ({executable}) did not start");
        try
        {
            var page = Wait(browser.PagesAsync(), "Chromium has no page").FirstOrDefault()
                ?? Wait(browser.NewPageAsync(), "Chromium opened no page");
            var chromium = new HeadlessChromium(browser, page);
            chromium.Watch();
            return chromium;
        }
        catch
        {
            Close(browser);
            throw;
        }
    }

    /// <summary>
    /// Forgets what the last page did, opens <paramref name="fileOrUrl"/> (a path becomes a file:// URL)
    /// and waits for its load event, then for the violation reports the page queued while loading.
    /// </summary>
    public void Open(string fileOrUrl)
    {
        // On Linux "/tmp/x.html" parses as an absolute file URI too: only a written scheme makes a URL.
        var isUrl = Uri.TryCreate(fileOrUrl, UriKind.Absolute, out var uri) && (!uri.IsFile || fileOrUrl.StartsWith("file:", StringComparison.OrdinalIgnoreCase));
        var url = isUrl ? fileOrUrl : new Uri(Path.GetFullPath(fileOrUrl)).AbsoluteUri;
        lock (_gate)
        {
            _requests.Clear();
            _requestUrls.Clear();
            _failedRequests.Clear();
            _cspViolations.Clear();
            _consoleMessages.Clear();
        }
        Wait(_page.GoToAsync(url, WaitUntilNavigation.Load), $"Chromium could not open {url}");
        // securitypolicyviolation events are dispatched as tasks of their own; one timer turn later they have all run.
        Evaluate("new Promise(resolve => setTimeout(resolve, 50))");
    }

    /// <summary>
    /// Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its value
    /// as JSON (of kind Undefined for undefined and for null); DevTools evaluation is not subject to the page's Content-Security-Policy.
    /// </summary>
    /// <exception cref="InvalidOperationException">The expression threw (the message holds the exception text), or the browser is gone.</exception>
    public JsonElement Evaluate(string expression)
    {
        // PuppeteerSharp answers a closed page with a NullReferenceException.
        if (_disposed || _page.IsClosed) throw new InvalidOperationException($"`{expression}` could not be evaluated: Chromium is closed.");
        try
        {
            return _page.EvaluateExpressionAsync<JsonElement>(expression).GetAwaiter().GetResult();
        }
        catch (EvaluationFailedException error)
        {
            throw new InvalidOperationException($"`{expression}` threw: {error.Message}", error);
        }
        catch (PuppeteerException error)
        {
            throw new InvalidOperationException($"`{expression}` could not be evaluated: {error.Message}", error);
        }
    }

    /// <summary>Writes a PNG of the page: the whole document when <paramref name="fullPage"/>, else the viewport.</summary>
    public void Screenshot(string pngPath, bool fullPage = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
        Wait(_page.ScreenshotAsync(pngPath, new ScreenshotOptions { Type = ScreenshotType.Png, FullPage = fullPage }), $"Chromium took no screenshot {pngPath}");
    }

    /// <summary>Sets the page's viewport in CSS pixels (device scale 1, not mobile).</summary>
    public void SetViewport(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Wait(_page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height, DeviceScaleFactor = 1, IsMobile = false }), "Chromium set no viewport");
    }

    /// <summary>Closes the browser (PuppeteerSharp kills it if it does not go, and removes its profile).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Close(_browser);
    }

    private static void Close(IBrowser browser)
    {
        try
        {
            browser.CloseAsync().GetAwaiter().GetResult();
        }
        finally
        {
            browser.Dispose();
        }
    }

    private void Watch()
    {
        // PuppeteerSharp's Request and RequestFailed events drop Network.loadingFailed's blockedReason, the one
        // field that tells a request the page's policy stopped from one that reached the network: the page's
        // own DevTools session is read for those two events instead. It raises them in the order they arrive.
        _page.Client.MessageReceived += (_, message) => Record(message.MessageID, message.MessageData);
        _page.Console += (_, console) => Add(_consoleMessages, $"console {console.Message.Type}: {console.Message.Text}");
        _page.PageError += (_, error) => Add(_consoleMessages, $"exception error: {error.Message}");
        // Exposed functions and scripts added on new documents run whatever the page's policy forbids,
        // so the listener sees violations even on a page that allows no script at all. PuppeteerSharp
        // calls the function as the binding's event arrives, before the answers that follow it.
        Wait(_page.ExposeFunctionAsync<string, bool>(CspBinding, blockedUri => Add(_cspViolations, blockedUri)), "Chromium exposed no function");
        Wait(_page.EvaluateExpressionOnNewDocumentAsync($$"""
            (() => {
                const report = globalThis.{{CspBinding}};
                document.addEventListener('securitypolicyviolation', e => report(e.blockedURI), true);
            })();
            """), "Chromium took no script for new documents");
    }

    private void Record(string method, JsonElement parameters)
    {
        lock (_gate)
        {
            switch (method)
            {
                case "Network.requestWillBeSent":
                    var url = parameters.GetProperty("request").GetProperty("url").GetString()!;
                    _requests.Add(url);
                    _requestUrls[parameters.GetProperty("requestId").GetString()!] = url;
                    break;
                case "Network.loadingFailed":
                    _failedRequests.Add(new FailedRequest(
                        _requestUrls.GetValueOrDefault(parameters.GetProperty("requestId").GetString()!, "?"),
                        parameters.GetProperty("errorText").GetString() ?? "",
                        parameters.TryGetProperty("blockedReason", out var reason) ? reason.GetString() : null));
                    break;
            }
        }
    }

    private bool Add(List<string> records, string record)
    {
        lock (_gate) records.Add(record);
        return true;
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> records)
    {
        lock (_gate) return records.ToArray();
    }

    /// <summary>Waits for a PuppeteerSharp call, turning its failures into <see cref="InvalidOperationException"/>s that say what was being done.</summary>
    private static void Wait(Task task, string failure)
    {
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (PuppeteerException error)
        {
            throw new InvalidOperationException($"{failure}: {error.Message}", error);
        }
    }

    private static T Wait<T>(Task<T> task, string failure)
    {
        Wait((Task)task, failure);
        return task.Result;
    }

    private static (string? Path, string? Problem) Locate()
    {
        const string Install = ".ci/run installs it (apt-get install chromium)";
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? (configured, null)
                : (null, $"Chromium is not installed: {PathVariable} is '{configured}', which does not exist; {Install}");
        }
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in ExecutableNames)
        {
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate)) return (candidate, null);
            }
        }
        return (null, $"Chromium is not installed (none of {string.Join(", ", ExecutableNames)} on PATH, and {PathVariable} not set); {Install}");
    }
}

/// <summary>A request that did not complete: its URL, Chromium's error text and, when it was blocked, why (<c>csp</c>, <c>mixed-content</c>, ...).</summary>
public sealed record FailedRequest(string Url, string Error, string? BlockedReason);
