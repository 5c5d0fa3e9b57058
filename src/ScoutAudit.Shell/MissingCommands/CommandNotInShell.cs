using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ScoutAudit.Shell.MissingCommands;

/// <summary>
/// Turns "The term 'Import-Csv' is not recognized..." into an explanation: the command is PowerShell's, this embedded
/// shell carries only the core engine and the stand-ins that <c>scoutaudit -?</c> lists, and pwsh runs the same
/// script in full. Names PowerShell does not have (typos) keep the engine's own error.
/// </summary>
/// <remarks>
/// The engine ignores exceptions thrown by a CommandNotFoundAction handler, so the handler answers with a command
/// that cannot even be created: <see cref="MissingCommandPlaceholder"/> throws from its constructor. The engine
/// creates every command of a pipeline before binding parameters or running any of them, so the statement fails
/// exactly where and how a command that is not found fails: nothing upstream runs, whatever the arguments, and the
/// script goes on with its next statement.
/// </remarks>
internal static class CommandNotInShell
{
    public const string ErrorId = "CommandNotInEmbeddedShell";

    public static void Attach(Runspace runspace) =>
        runspace.SessionStateProxy.InvokeCommand.CommandNotFoundAction += OnCommandNotFound;

    /// <summary>The explanation for <paramref name="name"/>.</summary>
    public static string Message(string name) =>
        $"'{name}' is a PowerShell command that this embedded shell does not have: scoutaudit carries only the core " +
        "PowerShell engine, the ScoutAudit module and the stand-ins listed by 'scoutaudit -?'. " +
        "pwsh runs the same script in full.";

    private static void OnCommandNotFound(object? sender, CommandLookupEventArgs e)
    {
        string name = e.CommandName;
        if (!KnownPowerShellCommands.Contains(name))
        {
            return;
        }

        MissingCommandPlaceholder.Pending = name;
        e.Command = new CmdletInfo(name, typeof(MissingCommandPlaceholder));
        e.StopSearch = true;
    }
}

/// <summary>The command a missing PowerShell command resolves to; creating it fails with the explanation.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "MissingCommandPlaceholder")]
public sealed class MissingCommandPlaceholder : Cmdlet
{
    // The engine creates the command on the thread that looked it up, right after the lookup.
    [ThreadStatic]
    private static string? t_pending;

    /// <summary>Fails: this command stands for one the shell does not have.</summary>
    public MissingCommandPlaceholder()
    {
        string name = t_pending ?? "This command";
        t_pending = null;
        throw new CommandNotInShellException(name);
    }

    internal static string? Pending
    {
        set => t_pending = value;
    }
}

/// <summary>The error for a PowerShell command this shell does not carry: a kind of "command not found".</summary>
public sealed class CommandNotInShellException : CommandNotFoundException
{
    private ErrorRecord? _errorRecord;

    /// <summary>Creates the error for <paramref name="commandName"/>.</summary>
    public CommandNotInShellException(string commandName)
        : base(CommandNotInShell.Message(commandName))
    {
        CommandName = commandName;
    }

    /// <summary>ObjectNotFound, the command name as target and as activity (so PowerShell shows "Name: message").</summary>
    public override ErrorRecord ErrorRecord
    {
        get
        {
            if (_errorRecord is null)
            {
                _errorRecord = new ErrorRecord(this, CommandNotInShell.ErrorId, ErrorCategory.ObjectNotFound, CommandName);
                _errorRecord.CategoryInfo.Activity = CommandName;
            }

            return _errorRecord;
        }
    }
}
