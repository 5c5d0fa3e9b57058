using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using System.Text;

namespace ScoutAudit.Shell.Tests.Support;

/// <summary>What one run of the shell printed and returned.</summary>
public sealed record ShellResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Err}";
}

/// <summary>Runs the shell in this process through its public entry point, against string streams.</summary>
public static class ShellRun
{
    /// <summary>
    /// Runs <c>scoutaudit &lt;args&gt;</c>. <paramref name="modulePath"/>: null searches as the program does (finding the
    /// built module above the test binaries), "" imports no module (the stand-in tests, which must not depend on it).
    /// </summary>
    public static ShellResult InProcess(string[] args, string? modulePath = "", string input = "", int width = 120)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var options = new ShellOptions(new StringReader(input), output, error) { ModulePath = modulePath, Width = width };
        int exitCode = ScoutShell.Run(args, options);
        return new ShellResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary><c>scoutaudit -Command &lt;script&gt;</c> without the module.</summary>
    public static ShellResult Command(string script) => InProcess(["-Command", script]);

    /// <summary>The text <c>scoutaudit -Command</c> prints for <paramref name="script"/>, asserting it ran cleanly.</summary>
    public static string Output(string script)
    {
        var result = Command(script);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, result.ToString());
        return result.Out;
    }

    /// <summary>The objects <paramref name="script"/> writes, from a session of the shell (stand-ins, by default no module).</summary>
    public static Collection<PSObject> Objects(string script, string modulePath = "")
    {
        var options = new ShellOptions(TextReader.Null, TextWriter.Null, TextWriter.Null) { ModulePath = modulePath };
        using var session = ShellSession.Open(options);
        using var ps = PowerShell.Create();
        ps.Runspace = session.Runspace;
        var result = ps.AddScript(script).Invoke();
        Assert.True(ps.Streams.Error.Count == 0, string.Join("\n", ps.Streams.Error));
        return result;
    }
}

/// <summary>Runs the real program: <c>dotnet scoutaudit.dll ...</c>, as a user would.</summary>
public static class ShellProcess
{
    public static string ProgramPath { get; } = Path.Combine(AppContext.BaseDirectory, "scoutaudit.dll");

    public static ShellResult Run(string[] args, IReadOnlyDictionary<string, string?>? environment = null, string? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(ProgramPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input ?? string.Empty);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("scoutaudit did not finish within 60 s: " + string.Join(' ', args));
        }

        return new ShellResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
