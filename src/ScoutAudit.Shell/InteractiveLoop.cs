using System.Management.Automation;
using System.Management.Automation.Language;

namespace ScoutAudit.Shell;

/// <summary>
/// The read-eval-print loop: one statement (or several lines, while the input is incomplete) at a time, in one
/// runspace, so variables and functions carry over. With a person at a terminal it prints PowerShell's prompt;
/// reading piped input it prints none and ends, like <c>-Command -</c>, with 1 when any command failed.
/// </summary>
internal static class InteractiveLoop
{
    public static int Run(ShellSession session, ShellOptions options)
    {
        bool anyError = false;
        while (true)
        {
            if (options.InteractiveInput)
            {
                options.Output.Write(Prompt(session));
                options.Output.Flush();
            }

            string? line = options.Input.ReadLine();
            if (line is null)
            {
                break;
            }

            string script = line;
            while (IsIncomplete(script))
            {
                if (options.InteractiveInput)
                {
                    options.Output.Write(">> ");
                    options.Output.Flush();
                }

                string? more = options.Input.ReadLine();
                if (more is null)
                {
                    break;
                }

                script += "\n" + more;
            }

            if (string.IsNullOrWhiteSpace(script))
            {
                continue;
            }

            var outcome = session.RunScript(script);
            anyError |= outcome.ErrorReported;
            if (outcome.ExitCode is { } exitCode)
            {
                return exitCode;
            }
        }

        if (options.InteractiveInput)
        {
            options.Output.WriteLine();
            return 0;
        }

        return anyError ? 1 : 0;
    }

    // An unclosed brace, quote or here-string: keep reading, as PowerShell's console does.
    private static bool IsIncomplete(string script)
    {
        Parser.ParseInput(script, out _, out var errors);
        return errors.Any(e => e.IncompleteInput);
    }

    private static string Prompt(ShellSession session)
    {
        try
        {
            using var ps = PowerShell.Create();
            ps.Runspace = session.Runspace;
            var result = ps.AddCommand("prompt").Invoke();
            string text = string.Concat(result.Select(r => r?.ToString()));
            return text.Length > 0 ? text : "PS> ";
        }
        catch (RuntimeException)
        {
            return "PS> ";
        }
    }
}
