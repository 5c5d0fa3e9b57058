namespace ScoutAudit.Shell;

/// <summary>
/// The scoutaudit shell as a library call: what the program does with its command line, against any streams.
/// Tests run it in-process; <c>Program</c> runs it on the console.
/// </summary>
public static class ScoutShell
{
    /// <summary>The exit code for a command line the shell does not understand (EX_USAGE, as pwsh uses).</summary>
    public const int UsageExitCode = 64;

    /// <summary>The exit code when the embedded engine lacks what the shell needs (EX_SOFTWARE).</summary>
    public const int InternalErrorExitCode = 70;

    /// <summary>Runs the shell with <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, ShellOptions options) => Run(args, options, onSessionOpened: null);

    internal static int Run(IReadOnlyList<string> args, ShellOptions options, Action<ShellSession?>? onSessionOpened)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);

        var commandLine = CommandLine.Parse(args);
        if (commandLine.Mode == ShellMode.Invalid)
        {
            options.Error.WriteLine("scoutaudit: " + commandLine.Problem);
            options.Error.WriteLine("Run 'scoutaudit -?' for usage.");
            return UsageExitCode;
        }

        try
        {
            EngineInternals.Verify();
        }
        catch (TypeInitializationException e) when (e.InnerException is MissingMemberException missing)
        {
            // An engine that moved the internals the shell relies on: say which member, rather than fail later.
            options.Error.WriteLine("scoutaudit: " + missing.Message);
            return InternalErrorExitCode;
        }

        using var session = ShellSession.Open(options);
        onSessionOpened?.Invoke(session);
        try
        {
            switch (commandLine.Mode)
            {
                case ShellMode.Help:
                    options.Output.Write(UsageText.Build(session));
                    return 0;
                case ShellMode.Command:
                    string script = commandLine.Script == "-" ? options.Input.ReadToEnd() : commandLine.Script!;
                    return session.RunScript(script).ProcessExitCode;
                case ShellMode.File when commandLine.FilePath == "-":
                    return session.RunScript(options.Input.ReadToEnd()).ProcessExitCode;
                case ShellMode.File:
                    return session.RunFile(commandLine.FilePath!, commandLine.FileArguments ?? []).ProcessExitCode;
                default:
                    return InteractiveLoop.Run(session, options);
            }
        }
        finally
        {
            options.Output.Flush();
            options.Error.Flush();
            onSessionOpened?.Invoke(null);
        }
    }
}
