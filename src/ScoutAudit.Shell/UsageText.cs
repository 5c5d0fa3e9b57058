using System.Management.Automation;
using System.Text;
using ScoutAudit.Shell.StandIns;

namespace ScoutAudit.Shell;

/// <summary>What <c>scoutaudit -?</c> prints: usage, the module's cmdlets, and each stand-in with its parameters.</summary>
internal static class UsageText
{
    public static string Build(ShellSession session)
    {
        var text = new StringBuilder();
        text.AppendLine("scoutaudit: the PowerShell 7.6 engine with the ScoutAudit module, for machines without pwsh.");
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine("  scoutaudit -Command '<script>'        Runs the script ('-' reads it from standard input).");
        text.AppendLine("  scoutaudit -File <file.ps1> [args]    Runs a script file; -Name value and -Name:value bind its parameters.");
        text.AppendLine("  scoutaudit                            Reads commands at a prompt (from standard input).");
        text.AppendLine("  scoutaudit -?                         Shows this text.");
        text.AppendLine();
        text.AppendLine("Results are formatted by PowerShell on standard output; errors, warnings and verbose messages go to");
        text.AppendLine("standard error. The exit code is 0 when the script ran without errors, 1 when it reported one, N after");
        text.AppendLine("'exit N', and 64 for a command line scoutaudit does not understand.");
        text.AppendLine();
        text.AppendLine("The module is $env:" + ModuleLocator.EnvironmentVariable + " (a .psd1 path), else module/ScoutAudit.psd1 beside this program");
        text.AppendLine("or in a directory above it.");
        AppendModule(text, session);
        text.AppendLine();
        text.AppendLine("Stand-ins: the engine here carries only PowerShell's core commands. These commands of a full PowerShell are");
        text.AppendLine("provided by the shell and behave as PowerShell 7.4's for the parameters listed (common parameters such as");
        text.AppendLine("-ErrorAction work as everywhere). Other PowerShell commands (Get-ChildItem, Import-Csv, ...) are not here:");
        text.AppendLine("pwsh runs the same script in full.");
        int width = StandInCatalog.All.Max(s => s.Name.Length) + 2;
        foreach (var standIn in StandInCatalog.All)
        {
            string parameters = session.StandIns.Contains(standIn)
                ? string.Join(" ", standIn.Parameters.Select(p => "-" + p))
                : "(this engine has PowerShell's own, which is used)";
            text.Append("  ").Append(standIn.Name.PadRight(width)).AppendLine(parameters);
        }

        return text.ToString();
    }

    private static void AppendModule(StringBuilder text, ShellSession session)
    {
        if (!session.ModuleImported || session.Module.Path is null)
        {
            text.AppendLine($"Module: not loaded ({session.Module.Problem ?? "it could not be imported"}).");
            return;
        }

        text.AppendLine("Module: " + session.Module.Path);
        using var ps = PowerShell.Create();
        ps.Runspace = session.Runspace;
        var commands = ps.AddCommand("Get-Command").AddParameter("Module", Path.GetFileNameWithoutExtension(session.Module.Path)).Invoke<CommandInfo>();
        foreach (var command in commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
        {
            text.AppendLine("  " + command.Name);
        }
    }
}
