using System.Globalization;
using System.Management.Automation.Host;

namespace ScoutAudit.Shell.Hosting;

/// <summary>
/// The PSHost of the embedded shell: results and Write-Host text to standard output, errors and warnings to
/// standard error, and a record of whether anything was reported as an error and whether the script asked to exit.
/// </summary>
internal sealed class ShellHost : PSHost
{
    private readonly ShellHostUserInterface _ui;

    public ShellHost(ShellOptions options)
    {
        _ui = new ShellHostUserInterface(options);
    }

    public override string Name => "ScoutAuditShell";

    public override Version Version { get; } = typeof(ShellHost).Assembly.GetName().Version ?? new Version(0, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    /// <summary>True once an error was shown on standard error (the script then exits 1).</summary>
    public bool ErrorReported => _ui.ErrorReported;

    /// <summary>The argument of <c>exit N</c> once a script called it.</summary>
    public int? ExitCode { get; private set; }

    public void ClearErrorReported() => _ui.ClearErrorReported();

    /// <summary>Sends what would go to standard output to standard error, as an error, until disposed.</summary>
    public IDisposable OutputAsError() => _ui.OutputAsError();

    /// <summary>True when the last <see cref="OutputAsError"/> scope wrote visible text.</summary>
    public bool ErrorTextWritten => _ui.ErrorTextWritten;

    public void ClearExitCode() => ExitCode = null;

    // The engine calls this for `exit N` in a script run at the top level: the shell stops after the current script.
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public override void EnterNestedPrompt() =>
        throw new NotSupportedException("The scoutaudit shell has no nested prompts ($host.EnterNestedPrompt(), Suspend).");

    public override void ExitNestedPrompt() =>
        throw new NotSupportedException("The scoutaudit shell has no nested prompts.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
