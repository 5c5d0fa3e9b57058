namespace ScoutAudit.Shell;

/// <summary>What the shell was asked to do.</summary>
internal enum ShellMode
{
    Interactive,
    Command,
    File,
    Help,
    Invalid,
}

/// <summary>
/// The shell's command line, read the way pwsh reads its own: <c>-Command</c> (<c>-c</c>) takes the rest of the
/// line as the script (<c>-</c> reads it from standard input), <c>-File</c> (<c>-f</c>, or a first word that is not a
/// parameter) takes a script path and its arguments, <c>-?</c>/<c>-h</c>/<c>-Help</c> asks for usage.
/// Parameter names are case-insensitive and may be abbreviated; <c>-NoProfile</c>, <c>-NoLogo</c> and
/// <c>-NonInteractive</c> are accepted for compatibility with pwsh command lines and change nothing (the shell has
/// no profiles and no banner).
/// </summary>
internal sealed record CommandLine(ShellMode Mode, string? Script = null, string? FilePath = null, IReadOnlyList<string>? FileArguments = null, string? Problem = null)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!IsParameter(arg))
            {
                // pwsh's default parameter is -File.
                return new CommandLine(ShellMode.File, FilePath: arg, FileArguments: args.Skip(i + 1).ToList());
            }

            string name = arg.TrimStart('-', '/');
            if (name is "?" or "h" || Abbreviates(name, "help", 1))
            {
                return new CommandLine(ShellMode.Help);
            }

            if (Abbreviates(name, "command", 1))
            {
                if (i + 1 >= args.Count)
                {
                    return Invalid("-Command needs a script: scoutaudit -Command '<script>' (or '-' to read it from standard input).");
                }

                // Everything after -Command is the script, joined with spaces, as in pwsh.
                return new CommandLine(ShellMode.Command, Script: string.Join(' ', args.Skip(i + 1)));
            }

            if (Abbreviates(name, "file", 1))
            {
                return i + 1 < args.Count
                    ? new CommandLine(ShellMode.File, FilePath: args[i + 1], FileArguments: args.Skip(i + 2).ToList())
                    : Invalid("-File needs a script path: scoutaudit -File <file.ps1> [arguments].");
            }

            if (Abbreviates(name, "noprofile", 3) || Abbreviates(name, "nologo", 3) || Abbreviates(name, "noninteractive", 4))
            {
                continue;
            }

            return Invalid($"Unknown parameter '{arg}'.");
        }

        return new CommandLine(ShellMode.Interactive);
    }

    private static CommandLine Invalid(string problem) => new(ShellMode.Invalid, Problem: problem);

    private static bool IsParameter(string arg) =>
        arg.Length > 1 && (arg[0] == '-' || (arg[0] == '/' && OperatingSystem.IsWindows() && arg.Length <= 16 && !arg[1..].Contains('/', StringComparison.Ordinal)));

    private static bool Abbreviates(string given, string full, int minimum) =>
        given.Length >= minimum && full.StartsWith(given, StringComparison.OrdinalIgnoreCase);
}
