using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Completion;

/// <summary>Offers the -By groupings of Get-ScoutAuditSpend, each with what it groups by as the tooltip.</summary>
public sealed class SpendGroupingCompleter : IArgumentCompleter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(SpendGrouping.Model)] = "One row per model; events without a model in a row with no group.",
        [nameof(SpendGrouping.Event)] = "One row per event type.",
        [nameof(SpendGrouping.SessionId)] = "One row per session.",
        [nameof(SpendGrouping.Hour)] = "One row per UTC hour (yyyy-MM-ddTHH:00Z).",
        [nameof(SpendGrouping.Day)] = "One row per UTC day (yyyy-MM-dd).",
    };

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Enum.GetNames<SpendGrouping>(), wordToComplete, name => Descriptions[name]);
}
