using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace ScoutAudit.PowerShell.Tests.Browser;

/// <summary>
/// One headless Chromium with one page, driven over the DevTools protocol: open a file, see every
/// request it attempted and every Content-Security-Policy violation, evaluate script, take
/// screenshots. Chromium is <c>$SCOUT_CHROMIUM</c>, else <c>chromium</c>, <c>chromium-browser</c> or
/// <c>google-chrome</c> on PATH. Every call gives up after 30 s, so that no test hangs.
/// A page made no request when <see cref="RequestsSent"/> is the page alone and
/// <see cref="CspViolations"/> is empty: the first misses nothing that reached the network, the
/// second catches what the page's policy stopped before it (a refused fetch leaves no other trace).
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string PathVariable = "SCOUT_CHROMIUM";

    /// <summary>Set to 1 (as CI does) so that a missing Chromium fails the browser tests instead of skipping them.</summary>
    public const string RequireVariable = "SCOUT_REQUIRE_CHROMIUM";

    /// <summary>The name of the function the DevTools protocol installs in every page to report CSP violations.</summary>
    private const string CspBinding = "__scoutAuditCspViolation";

    private static readonly string[] ExecutableNames = ["chromium", "chromium-browser", "google-chrome"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<(string? Path, string? Problem)> Located = new(Locate);

    private readonly Process _process;
    private readonly string _userDataDir;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly object _gate = new();
    private readonly List<string> _requests = [];
    private readonly Dictionary<string, string> _requestUrls = [];
    private readonly List<FailedRequest> _failedRequests = [];
    private readonly List<string> _cspViolations = [];
    private readonly List<string> _consoleMessages = [];
    private DevToolsConnection? _connection;
    private TaskCompletionSource? _loaded;
    private bool _disposed;

    private HeadlessChromium(Process process, string userDataDir)
    {
        _process = process;
        _userDataDir = userDataDir;
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

    /// <summary>Console output, browser log entries and uncaught exceptions since <see cref="Open"/>, as "source level: text".</summary>
    public IReadOnlyList<string> ConsoleMessages => Snapshot(_consoleMessages);

    /// <summary>Starts Chromium on about:blank and connects to its page.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not installed, or does not start or answer in time.</exception>
    public static HeadlessChromium Launch()
    {
        var executable = Executable ?? throw new InvalidOperationException(
            $"{Located.Value.Problem}; {RequireVariable}=1 makes this a failure instead of a skip.");
        var userDataDir = Path.Combine(Path.GetTempPath(), "scoutaudit-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(userDataDir);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless=new",
                     "--no-sandbox", // root in a container has no user namespace for the sandbox
                     "--disable-gpu",
                     "--remote-debugging-port=0",
                     $"--user-data-dir={userDataDir}",
                     "--no-first-run",
                     "--no-default-browser-check",
                     "about:blank",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        var browser = new HeadlessChromium(Process.Start(start)!, userDataDir);
        try
        {
            browser.Connect();
            return browser;
        }
        catch
        {
            browser.Dispose();
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
            _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        var navigation = Send("Page.navigate", new { url });
        if (navigation.TryGetProperty("errorText", out var failure))
            throw new InvalidOperationException($"Chromium could not open {url}: {failure.GetString()}");
        if (!_loaded.Task.Wait(Timeout))
            throw new TimeoutException($"{url} did not fire its load event within {Timeout.TotalSeconds:0} s.");
        // securitypolicyviolation events are dispatched as tasks of their own; one timer turn later they have all run.
        Evaluate("new Promise(resolve => setTimeout(resolve, 50))");
    }

    /// <summary>
    /// Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its value
    /// as JSON (of kind Undefined for undefined); DevTools evaluation is not subject to the page's Content-Security-Policy.
    /// </summary>
    /// <exception cref="InvalidOperationException">The expression threw; the message holds the exception text.</exception>
    public JsonElement Evaluate(string expression)
    {
        var answer = Send("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (answer.TryGetProperty("exceptionDetails", out var details))
            throw new InvalidOperationException($"`{expression}` threw: {ExceptionText(details)}");
        return answer.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Writes a PNG of the page: the whole document when <paramref name="fullPage"/>, else the viewport.</summary>
    public void Screenshot(string pngPath, bool fullPage = true)
    {
        object parameters = new { format = "png" };
        if (fullPage)
        {
            var metrics = Send("Page.getLayoutMetrics");
            var size = metrics.TryGetProperty("cssContentSize", out var css) ? css : metrics.GetProperty("contentSize");
            var clip = new { x = 0, y = 0, width = Math.Ceiling(size.GetProperty("width").GetDouble()), height = Math.Ceiling(size.GetProperty("height").GetDouble()), scale = 1 };
            parameters = new { format = "png", captureBeyondViewport = true, clip };
        }
        var shot = Send("Page.captureScreenshot", parameters);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
        File.WriteAllBytes(pngPath, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    /// <summary>Sets the page's viewport in CSS pixels (device scale 1, not mobile).</summary>
    public void SetViewport(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Send("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
    }

    /// <summary>Sends a DevTools command to the page and returns its result.</summary>
    /// <exception cref="InvalidOperationException">The browser answered with an error or went away.</exception>
    /// <exception cref="TimeoutException">No answer within 30 s.</exception>
    public JsonElement Send(string method, object? parameters = null) =>
        (_connection ?? throw new InvalidOperationException("Chromium is not connected.")).Send(method, parameters, Timeout);

    /// <summary>Closes the browser (killing it if it does not go), and removes its profile.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                connection.Send("Browser.close", null, TimeSpan.FromSeconds(5));
            }
            catch (Exception error) when (error is InvalidOperationException or TimeoutException)
            {
                // Closing drops the connection, often before the answer: the exit below is what counts.
            }
            connection.Dispose();
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        _process.Dispose();
        DeleteProfile();
    }

    private void Connect()
    {
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        var port = ReadDevToolsPort();
        _connection = DevToolsConnection.Connect(PageWebSocketUrl(port), Timeout);
        _connection.EventReceived += Record;
        Send("Network.enable");
        Send("Page.enable");
        Send("Runtime.enable");
        Send("Log.enable");
        // Runtime bindings and scripts added on new documents run whatever the page's policy forbids,
        // so the listener sees violations even on a page that allows no script at all.
        Send("Runtime.addBinding", new { name = CspBinding });
        Send("Page.addScriptToEvaluateOnNewDocument", new
        {
            source = $$"""
                (() => {
                    const report = globalThis.{{CspBinding}};
                    document.addEventListener('securitypolicyviolation', e => report(e.blockedURI), true);
                })();
                """,
        });
    }

    private int ReadDevToolsPort()
    {
        var file = Path.Combine(_userDataDir, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with code {_process.ExitCode} before opening its DevTools port:\n{Stderr()}");
            try
            {
                var firstLine = File.ReadLines(file).FirstOrDefault();
                if (int.TryParse(firstLine, out var port) && port > 0) return port;
            }
            catch (IOException)
            {
                // Not written yet, or being written.
            }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"Chromium wrote no {file} within {Timeout.TotalSeconds:0} s:\n{Stderr()}");
    }

    private static Uri PageWebSocketUrl(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Timeout };
        using var targets = JsonDocument.Parse(http.GetStringAsync("json").GetAwaiter().GetResult());
        foreach (var target in targets.RootElement.EnumerateArray())
        {
            if (target.GetProperty("type").GetString() == "page")
                return new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!);
        }
        using var created = http.PutAsync("json/new?about:blank", null).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(created.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return new Uri(page.RootElement.GetProperty("webSocketDebuggerUrl").GetString()!);
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
                case "Runtime.bindingCalled" when parameters.GetProperty("name").GetString() == CspBinding:
                    _cspViolations.Add(parameters.GetProperty("payload").GetString()!);
                    break;
                case "Log.entryAdded":
                    var entry = parameters.GetProperty("entry");
                    _consoleMessages.Add($"{entry.GetProperty("source")} {entry.GetProperty("level")}: {entry.GetProperty("text")}");
                    break;
                case "Runtime.consoleAPICalled":
                    var texts = parameters.GetProperty("args").EnumerateArray()
                        .Select(argument => argument.TryGetProperty("value", out var value) ? value.ToString() : argument.GetProperty("type").GetString());
                    _consoleMessages.Add($"console {parameters.GetProperty("type")}: {string.Join(' ', texts)}");
                    break;
                case "Runtime.exceptionThrown":
                    _consoleMessages.Add($"exception error: {ExceptionText(parameters.GetProperty("exceptionDetails"))}");
                    break;
                case "Page.loadEventFired":
                    _loaded?.TrySetResult();
                    break;
            }
        }
    }

    private static string ExceptionText(JsonElement details) =>
        details.TryGetProperty("exception", out var exception) && exception.TryGetProperty("description", out var description)
            ? description.GetString()!
            : details.GetProperty("text").GetString()!;

    private IReadOnlyList<T> Snapshot<T>(List<T> records)
    {
        lock (_gate) return records.ToArray();
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        _stderr.Enqueue(line);
        while (_stderr.Count > 40) _stderr.TryDequeue(out _);
    }

    private string Stderr() => string.Join('\n', _stderr);

    private void DeleteProfile()
    {
        // Chromium's helpers may still be writing for a moment after the browser exits.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(_userDataDir)) Directory.Delete(_userDataDir, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                return;
            }
        }
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

/// <summary>
/// A fact that needs headless Chromium: skipped, with the reason, when it is not installed; run (and
/// so failed, with the reason) when <c>SCOUT_REQUIRE_CHROMIUM=1</c>, as in CI.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.SkipReason is { } why) Skip = why;
    }
}
