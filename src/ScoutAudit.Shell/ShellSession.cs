using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ScoutAudit.Shell.Hosting;
using ScoutAudit.Shell.MissingCommands;
using ScoutAudit.Shell.StandIns;

namespace ScoutAudit.Shell;

/// <summary>What running one script amounted to.</summary>
/// <param name="ErrorReported">An error was shown (written or terminating).</param>
/// <param name="ExitCode">The argument of <c>exit N</c>, when the script called it.</param>
internal readonly record struct RunOutcome(bool ErrorReported, int? ExitCode)
{
    /// <summary>The process exit code for this outcome: N after <c>exit N</c>, else 1 after an error, else 0.</summary>
    public int ProcessExitCode => ExitCode ?? (ErrorReported ? 1 : 0);
}

/// <summary>
/// One runspace of the embedded engine with the ScoutAudit module and the stand-ins, and the host it reports to.
/// Every script runs as <c>&lt;script&gt; 2&gt;&amp;1 | Out-Default</c> would, so results and errors come out
/// interleaved, in order, formatted by PowerShell.
/// </summary>
internal sealed class ShellSession : IDisposable
{
    private static readonly Lock CacheGate = new();
    private static readonly Dictionary<string, (InitialSessionState State, IReadOnlyList<StandIn> StandIns)> Cache = new(StringComparer.Ordinal);

    private readonly Lock _runningGate = new();
    private PowerShell? _running;

    private ShellSession(ShellHost host, Runspace runspace, IReadOnlyList<StandIn> standIns, ModuleLocation module, bool moduleImported)
    {
        Host = host;
        Runspace = runspace;
        StandIns = standIns;
        Module = module;
        ModuleImported = moduleImported;
    }

    public ShellHost Host { get; }

    public Runspace Runspace { get; }

    /// <summary>The stand-ins registered in this session (those the engine lacked).</summary>
    public IReadOnlyList<StandIn> StandIns { get; }

    public ModuleLocation Module { get; }

    public bool ModuleImported { get; }

    /// <summary>
    /// Opens a session. A module that is missing or fails to import is reported on standard error and the session
    /// goes on without it: the scripts' own outcome still decides the exit code.
    /// </summary>
    public static ShellSession Open(ShellOptions options)
    {
        var host = new ShellHost(options);
        var module = ModuleLocator.Locate(options.ModulePath, AppContext.BaseDirectory);
        if (module.Problem is not null)
        {
            host.UI.WriteWarningLine($"scoutaudit: {module.Problem}; continuing without it.");
        }

        var (state, standIns) = InitialState(module.Path);
        Runspace runspace;
        bool imported = module.Path is not null;
        try
        {
            runspace = OpenRunspace(host, state);
        }
        catch (RuntimeException e) when (module.Path is not null)
        {
            host.UI.WriteWarningLine($"scoutaudit: the ScoutAudit module {module.Path} could not be imported: {e.Message}; continuing without it.");
            (state, standIns) = InitialState(null);
            runspace = OpenRunspace(host, state);
            imported = false;
        }

        return new ShellSession(host, runspace, standIns, module, imported);
    }

    /// <summary>Runs <paramref name="script"/> in the global scope, as <c>pwsh -Command</c> does.</summary>
    public RunOutcome RunScript(string script) =>
        Run(ps => ps.AddScript(script));

    /// <summary>
    /// Runs a script file with arguments as <c>pwsh -File</c> does: <c>-Name</c> names a parameter,
    /// <c>-Name:value</c> gives one its value (<c>$true</c>/<c>$false</c> included), anything else is a positional
    /// string; the file runs as a script file (<c>$MyInvocation.MyCommand.Path</c>, <c>$PSScriptRoot</c>), and
    /// <c>exit N</c> in it ends the shell with N.
    /// </summary>
    public RunOutcome RunFile(string path, IReadOnlyList<string> arguments)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            return ReportOutcome(new ErrorRecord(
                new FileNotFoundException($"The script file '{path}' does not exist.", fullPath),
                "ScriptFileNotFound",
                ErrorCategory.ObjectNotFound,
                fullPath));
        }

        try
        {
            return Run(ps =>
            {
                var command = new Command(fullPath, isScript: false, useLocalScope: false);
                foreach (var parameter in ScriptArguments.ToParameters(arguments))
                {
                    command.Parameters.Add(parameter);
                }

                ps.Commands.AddCommand(command);
                EngineInternals.ExitFromNextScriptFile(Runspace, exit: true);
            });
        }
        finally
        {
            // Had the file never started (a parse error), the next script would otherwise take the setting.
            EngineInternals.ExitFromNextScriptFile(Runspace, exit: false);
        }
    }

    /// <summary>Stops the running script (Ctrl+C), if any.</summary>
    public void Stop()
    {
        lock (_runningGate)
        {
            _running?.BeginStop(null, null);
        }
    }

    public void Dispose() => Runspace.Dispose();

    private static (InitialSessionState State, IReadOnlyList<StandIn> StandIns) InitialState(string? modulePath)
    {
        // Built once per module path and shared: each runspace then costs tens of milliseconds instead of a rebuild.
        lock (CacheGate)
        {
            if (Cache.TryGetValue(modulePath ?? string.Empty, out var cached))
            {
                return cached;
            }

            // CreateDefault() needs the Utility and Management assemblies, which this engine does not ship.
            var state = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                // pwsh's default on Windows; on Linux and macOS execution policy does not apply and is left alone.
                state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.RemoteSigned;
            }

            var standIns = StandInCatalog.Register(state);
            if (modulePath is not null)
            {
                state.ImportPSModule([modulePath]);

                // Otherwise a module that fails to import is dropped without a word; Open then throws and says why.
                state.ThrowOnRunspaceOpenError = true;
            }

            Cache[modulePath ?? string.Empty] = (state, standIns);
            return (state, standIns);
        }
    }

    private static Runspace OpenRunspace(ShellHost host, InitialSessionState state)
    {
        var runspace = RunspaceFactory.CreateRunspace(host, state);
        try
        {
            lock (state)
            {
                runspace.Open();
            }
        }
        catch
        {
            runspace.Dispose();
            throw;
        }

        CommandNotInShell.Attach(runspace);
        return runspace;
    }

    private RunOutcome Run(Action<PowerShell> build)
    {
        Host.ClearErrorReported();
        Host.ClearExitCode();
        using var ps = PowerShell.Create();
        ps.Runspace = Runspace;
        build(ps);
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        lock (_runningGate)
        {
            _running = ps;
        }

        try
        {
            ps.Invoke();
        }
        catch (RuntimeException e)
        {
            Report(e.ErrorRecord, e);
        }
        finally
        {
            lock (_runningGate)
            {
                _running = null;
            }
        }

        // Errors of Out-Default itself are not merged into its input; show them too.
        foreach (var error in ps.Streams.Error)
        {
            Report(error);
        }

        return new RunOutcome(Host.ErrorReported, Host.ExitCode);
    }

    private RunOutcome ReportOutcome(ErrorRecord error, Exception? thrown = null)
    {
        Host.ClearErrorReported();
        Host.ClearExitCode();
        Report(error, thrown);
        return new RunOutcome(Host.ErrorReported, Host.ExitCode);
    }

    // Shows a terminating error as pwsh's console host does: rendered by Out-Default with PowerShell's error view,
    // on standard error. (pwsh marks the record as error-stream output, an internal flag; the host routes the
    // rendering instead.)
    private void Report(ErrorRecord error, Exception? thrown = null)
    {
        using (Host.OutputAsError())
        {
            try
            {
                using var ps = PowerShell.Create();
                ps.Runspace = Runspace;
                ps.AddCommand("Out-Default").Invoke(new[] { error });
            }
            catch (RuntimeException)
            {
                // Rendering failed; the message below still gets out.
            }
        }

        // The error view renders some records as nothing (a parse error of the whole script has no position to show);
        // the message must still reach the user.
        if (!Host.ErrorTextWritten)
        {
            Host.UI.WriteErrorLine(FallbackText(error, thrown ?? error.Exception));
        }
    }

    private static string FallbackText(ErrorRecord error, Exception? exception) => exception switch
    {
        ParseException { Errors: { Length: > 0 } errors } =>
            string.Join("\n", errors.Select(e => $"ParserError: line {e.Extent.StartLineNumber}, column {e.Extent.StartColumnNumber}: {e.Message}")),
        ParseException parse => "ParserError: " + parse.Message,
        _ => exception?.Message ?? error.ToString(),
    };
}
