namespace ScoutAudit.Shell;

/// <summary>Where the shell reads and writes, and how the terminal behind those streams behaves.</summary>
/// <param name="Input">Standard input: scripts for <c>-Command -</c>, commands at the interactive prompt, answers to prompts.</param>
/// <param name="Output">Standard output: formatted results, Write-Host text, the interactive prompt.</param>
/// <param name="Error">Standard error: errors, warnings, verbose and debug messages.</param>
public sealed record ShellOptions(TextReader Input, TextWriter Output, TextWriter Error)
{
    /// <summary>True when a person types at the input (a terminal): the loop shows prompts and may ask questions.</summary>
    public bool InteractiveInput { get; init; }

    /// <summary>True when <see cref="Output"/> is a terminal that understands ANSI escape sequences.</summary>
    public bool OutputSupportsVirtualTerminal { get; init; }

    /// <summary>True when <see cref="Error"/> is a terminal that understands ANSI escape sequences.</summary>
    public bool ErrorSupportsVirtualTerminal { get; init; }

    /// <summary>The width PowerShell lays tables out for.</summary>
    public int Width { get; init; } = 120;

    /// <summary>
    /// The module manifest to import, overriding the search (<c>$env:SCOUT_AUDIT_MODULE</c>, then <c>module/</c> beside
    /// or above the program). An empty string means "import no module". Null searches.
    /// </summary>
    public string? ModulePath { get; init; }

    /// <summary>Options for the process's own console.</summary>
    public static ShellOptions ForConsole()
    {
        int width = 120;
        if (!Console.IsOutputRedirected)
        {
            try
            {
                width = Math.Max(Console.WindowWidth, 40);
            }
            catch (IOException)
            {
                // No console window after all (a detached process): keep the default width.
            }
        }

        bool terminal = !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new ShellOptions(Console.In, Console.Out, Console.Error)
        {
            InteractiveInput = !Console.IsInputRedirected,
            OutputSupportsVirtualTerminal = terminal && !Console.IsOutputRedirected,
            ErrorSupportsVirtualTerminal = terminal && !Console.IsErrorRedirected,
            Width = width,
        };
    }
}
