using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ScoutAudit.PowerShell.Completion;

/// <summary>Offers the -By groupings of Get-ScoutAuditSpend, each with what it groups by as the tooltip.</summary>
public sealed class SpendGroupByCompleter : IArgumentCompleter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(SpendGroupBy.Model)] = "One row per model; events without a model in a row with no group.",
        [nameof(SpendGroupBy.Event)] = "One row per event type.",
        [nameof(SpendGroupBy.SessionId)] = "One row per session.",
        [nameof(SpendGroupBy.Hour)] = "One row per UTC hour (yyyy-MM-ddTHH:00Z).",
        [nameof(SpendGroupBy.Day)] = "One row per UTC day (yyyy-MM-dd).",
    };

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Enum.GetNames<SpendGroupBy>(), wordToComplete, name => Descriptions[name]);
}
