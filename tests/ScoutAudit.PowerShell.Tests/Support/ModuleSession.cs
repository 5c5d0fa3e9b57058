using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>
/// A runspace with the module imported, for one test. All share one InitialSessionState (the
/// first import costs about a second, each runspace after it a few milliseconds).
/// </summary>
public sealed class ModuleSession : IDisposable
{
    private static readonly Lazy<InitialSessionState> Shared = new(() =>
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([Repository.ModuleManifest]);
        return state;
    });

    private readonly Runspace _runspace;

    public ModuleSession()
    {
        _runspace = RunspaceFactory.CreateRunspace(Host, Shared.Value);
        _runspace.Open();
    }

    public RecordingHost Host { get; } = new();

    public Runspace Runspace => _runspace;

    /// <summary>Runs a script; <paramref name="variables"/> are set as PowerShell variables first.</summary>
    public RunResult Run(string script, object? variables = null)
    {
        using var shell = System.Management.Automation.PowerShell.Create(_runspace);
        if (variables is not null)
        {
            foreach (var property in variables.GetType().GetProperties())
            {
                _runspace.SessionStateProxy.SetVariable(property.Name, property.GetValue(variables));
            }
        }
        shell.AddScript(script);
        Collection<PSObject> output = [];
        ErrorRecord? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException error)
        {
            terminating = error.ErrorRecord;
        }
        return new RunResult(
            output,
            [.. shell.Streams.Error],
            terminating,
            [.. shell.Streams.Warning.Select(w => w.Message)],
            [.. shell.Streams.Verbose.Select(v => v.Message)],
            [.. shell.Streams.Progress]);
    }

    /// <summary>Runs a script that must not fail, and returns its output.</summary>
    public Collection<PSObject> Invoke(string script, object? variables = null)
    {
        var result = Run(script, variables);
        Assert.True(result.Terminating is null && result.Errors.Count == 0,
            $"The script failed: {result.Terminating ?? result.Errors.FirstOrDefault()} ({(result.Terminating ?? result.Errors.FirstOrDefault())?.FullyQualifiedErrorId})");
        return result.Output;
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed record RunResult(
    Collection<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    ErrorRecord? Terminating,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<ProgressRecord> Progress)
{
    /// <summary>The one error the script raised, terminating or not.</summary>
    public ErrorRecord SingleError()
    {
        var all = Errors.Concat(Terminating is null ? [] : [Terminating]).ToList();
        Assert.True(all.Count >= 1, "The script raised no error.");
        return all[0];
    }
}
