using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core.Tests.Support;

/// <summary>
/// The runnable model of the original Python tool (<c>scout_audit_ref.py</c>): where it is, whether
/// python3 can run it here, and running its command line. The model is
/// <c>$SCOUT_REFERENCE_MODEL</c>, else <c>&lt;repo&gt;/../shared/reference/scout_audit_ref.py</c>.
/// </summary>
public static class ReferenceModel
{
    public const string PathVariable = "SCOUT_REFERENCE_MODEL";

    /// <summary>Set to 1 (as CI does) so that a missing model fails the live tests instead of skipping them.</summary>
    public const string RequireVariable = "SCOUT_REQUIRE_REFERENCE_MODEL";

    private const string SolutionFile = "ScoutAudit.sln";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<Location> Located = new(Locate);

    /// <summary>True when <c>SCOUT_REQUIRE_REFERENCE_MODEL=1</c>.</summary>
    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why the model cannot be run here, or null when it can.</summary>
    public static string? Unavailable => Located.Value.Problem;

    /// <summary>The skip message for live tests, or null when they must run (model present, or required).</summary>
    public static string? SkipReason =>
        Unavailable is { } why && !IsRequired
            ? $"reference model not available: {why} (set {PathVariable} or put ../shared beside the repo)"
            : null;

    /// <summary>The folder holding ScoutAudit.sln, found by walking up from the test binaries; null when there is none.</summary>
    public static string? RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// Runs <c>python3 scout_audit_ref.py &lt;arguments&gt;</c> (no shell) and returns the JSON document it prints.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not available, exits with an error, times out or prints no JSON.</exception>
    public static JsonElement Run(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var location = Require();
        var argumentList = arguments.ToList();
        var (exitCode, stdout, stderr) = Execute(location.Python, [location.Script, .. argumentList], timeout ?? DefaultTimeout);
        var commandLine = $"python3 {location.Script} {string.Join(' ', argumentList)}";
        if (exitCode != 0)
            throw new InvalidOperationException($"`{commandLine}` exited with {exitCode}:\n{stderr}");
        try
        {
            using var document = JsonDocument.Parse(stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new InvalidOperationException($"`{commandLine}` printed no JSON document ({error.Message}):\n{stdout}\n{stderr}", error);
        }
    }

    /// <summary>Runs the model's command line with the <c>--path</c> option first.</summary>
    public static JsonElement Run(string command, string path, params string[] options) =>
        Run([command, "--path", path, .. options]);

    private static Location Require()
    {
        var location = Located.Value;
        if (location.Problem is { } why)
            throw new InvalidOperationException(
                IsRequired
                    ? $"{RequireVariable}=1, but the reference model is not available: {why}. " +
                      $"Set {PathVariable} to scout_audit_ref.py, or put ../shared beside the repository, and make python3 available."
                    : $"The reference model is not available: {why}.");
        return location;
    }

    private sealed record Location(string Python, string Script, string? Problem);

    private static Location Locate()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        string script;
        if (!string.IsNullOrEmpty(configured))
        {
            script = Path.GetFullPath(configured);
            if (!File.Exists(script))
                return new("", script, $"{PathVariable} is {configured}, which is not a file");
        }
        else if (RepositoryRoot is null)
        {
            return new("", "", $"no folder holding {SolutionFile} above {AppContext.BaseDirectory}");
        }
        else
        {
            script = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "reference", "scout_audit_ref.py"));
            if (!File.Exists(script))
                return new("", script, $"{script} does not exist");
        }

        if (FindOnPath("python3") is not { } python)
            return new("", script, "python3 is not on PATH");
        try
        {
            var (exitCode, _, stderr) = Execute(python, [script, "--help"], TimeSpan.FromSeconds(30));
            if (exitCode != 0)
                return new(python, script, $"`python3 {script} --help` exited with {exitCode}: {stderr.Trim()}");
        }
        catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return new(python, script, $"python3 ({python}) cannot be started: {error.Message}");
        }
        return new(python, script, null);
    }

    private static (int ExitCode, string Stdout, string Stderr) Execute(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Arguments carry non-ASCII text; without UTF-8 mode a C locale would decode them wrongly.
        start.Environment["PYTHONUTF8"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"`{program} {string.Join(' ', arguments)}` did not finish within {timeout.TotalSeconds} s and was killed.");
        }
        process.WaitForExit(); // lets the output readers reach the end
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string? FindOnPath(string name)
    {
        string[] names = OperatingSystem.IsWindows() ? [name + ".exe", "python.exe"] : [name];
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in names)
            {
                var path = Path.Combine(folder, candidate);
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }

    private static string? FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile))) return folder.FullName;
        }
        return null;
    }
}

/// <summary>
/// A fact that needs the reference model: skipped, with the reason, when the model or python3 is
/// missing; run (and so failed, with the reason) when <c>SCOUT_REQUIRE_REFERENCE_MODEL=1</c>.
/// </summary>
public sealed class ReferenceModelFactAttribute : FactAttribute
{
    public ReferenceModelFactAttribute()
    {
        if (ReferenceModel.SkipReason is { } why) Skip = why;
    }
}
