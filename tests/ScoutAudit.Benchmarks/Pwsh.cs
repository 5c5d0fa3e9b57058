using System.Diagnostics;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// The real pwsh of the repository's tool manifest (.config/dotnet-tools.json pins PowerShell 7.6.9:
/// <c>dotnet tool restore</c>, then <c>dotnet pwsh</c>), run from the repository root.
/// </summary>
internal sealed class Pwsh
{
    private Pwsh(string directory, string dll, string version) => (Directory, Dll, Version) = (directory, dll, version);

    /// <summary>Where <c>dotnet pwsh</c> is run: the repository root, whose tool manifest names the tool.</summary>
    public string Directory { get; }

    /// <summary>The pwsh.dll that the tool's <c>pwsh</c> launcher starts in a child process ($PSHOME/pwsh.dll).</summary>
    public string Dll { get; }

    /// <summary>$PSVersionTable.PSVersion, as that pwsh reports it.</summary>
    public string Version { get; }

    public const string Missing = "n/a: pwsh not found (dotnet tool restore, then dotnet pwsh, in the repository)";

    /// <summary>Asks <c>dotnet pwsh</c> once for its $PSHOME; null when the tool is not restored or does not run.</summary>
    public static Pwsh? Locate(string? repositoryRoot)
    {
        if (repositoryRoot is null) return null;
        try
        {
            var (exitCode, output, _) = Run(repositoryRoot, ["pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSHOME; $PSVersionTable.PSVersion.ToString()"]);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (exitCode != 0 || lines.Length < 2) return null;
            var dll = Path.Combine(lines[0], "pwsh.dll");
            return File.Exists(dll) ? new Pwsh(repositoryRoot, dll, lines[1]) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs <c>dotnet pwsh -NoProfile -NonInteractive -File &lt;script&gt; args...</c> (the tool's launcher,
    /// as a user runs it) and returns its output; throws when it fails.
    /// </summary>
    public string RunFile(string script, params string[] args)
    {
        var (exitCode, output, errors) = Run(Directory, ["pwsh", "-NoProfile", "-NonInteractive", "-File", script, .. args]);
        if (exitCode != 0) throw new InvalidOperationException($"dotnet pwsh -File {Path.GetFileName(script)} {string.Join(' ', args)} failed ({exitCode}): {errors}{output}");
        return output.Trim();
    }

    /// <summary>
    /// Wall clock in milliseconds around <c>dotnet &lt;pwsh.dll&gt; args...</c>, from process start to its
    /// exit, measured by this process; throws when it fails.
    /// </summary>
    public double WallClockMs(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, output, errors) = Run(Directory, [Dll, .. args]);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (exitCode != 0) throw new InvalidOperationException($"pwsh {string.Join(' ', args)} failed ({exitCode}): {errors}{output}");
        return elapsed;
    }

    private static (int ExitCode, string Output, string Errors) Run(string directory, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in args) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }
}
