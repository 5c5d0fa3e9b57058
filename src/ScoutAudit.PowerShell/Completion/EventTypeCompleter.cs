using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Completion;

/// <summary>
/// Offers for -Event the event types Scout itself writes, then the other types the log used lately;
/// any other type is still accepted.
/// </summary>
public sealed class EventTypeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var inLog = CompletionLog.Names(fakeBoundParameters).EventTypes.Except(KnownEventTypes.All).ToList();
        return Completions.Matching(KnownEventTypes.All, wordToComplete, type => $"Scout event type '{type}'")
            .Concat(Completions.Matching(inLog, wordToComplete, type => $"Event type '{type}', used lately in the log"));
    }
}
