using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Completion;

/// <summary>Offers the event types Scout itself writes for -Event; other types are still accepted.</summary>
public sealed class EventTypeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(KnownEventTypes.All, wordToComplete, type => $"Scout event type '{type}'");
}
