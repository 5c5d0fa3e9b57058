using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;

namespace ScoutAudit.Shell;

/// <summary>
/// The arguments after <c>-File &lt;path&gt;</c>, read as pwsh reads them: a word that starts with a dash names a
/// parameter, <c>-Name:value</c> (or <c>-Name:</c> followed by the value) binds a value to one, <c>$true</c> and
/// <c>$false</c> after a colon are booleans, and everything else is a positional string. The engine's binder then
/// pairs <c>-Name value</c> exactly as for any command line.
/// </summary>
internal static partial class ScriptArguments
{
    public static List<CommandParameter> ToParameters(IReadOnlyList<string> arguments)
    {
        var parameters = new List<CommandParameter>();
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i];
            var match = ParameterPattern().Match(argument);
            if (!match.Success)
            {
                parameters.Add(new CommandParameter(null, argument));
                continue;
            }

            string name = "-" + match.Groups["name"].Value;
            if (!match.Groups["colon"].Success)
            {
                // A name alone: the binder takes the next argument as its value unless it is a switch.
                parameters.Add(new CommandParameter(name));
                continue;
            }

            string value = match.Groups["value"].Value;
            if (value.Length == 0 && i + 1 < arguments.Count)
            {
                value = arguments[++i];
            }

            parameters.Add(value.ToUpperInvariant() switch
            {
                "$TRUE" => new CommandParameter(name, true),
                "$FALSE" => new CommandParameter(name, false),
                _ => new CommandParameter(name, value),
            });
        }

        return parameters;
    }

    // A parameter name starts with a letter or underscore, so "-5" stays a value; pwsh also splits at the first colon.
    [GeneratedRegex(@"^-(?<name>[\p{L}_][\p{L}\p{Nd}_]*)(?<colon>:(?<value>.*))?$", RegexOptions.Singleline)]
    private static partial Regex ParameterPattern();
}
