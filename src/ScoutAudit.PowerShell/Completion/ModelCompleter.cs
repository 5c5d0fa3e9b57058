using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ScoutAudit.PowerShell.Completion;

/// <summary>Offers for -Model the models the log used lately; any other model is still accepted.</summary>
public sealed class ModelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(CompletionLog.Names(fakeBoundParameters).Models, wordToComplete, model => $"Model '{model}', used lately in the log");
}
