using System.Management.Automation;

namespace ScoutAudit.PowerShell.Completion;

internal static class Completions
{
    /// <summary>The candidates that start with what was typed (quotes around it ignored), in the given order.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string? wordToComplete, Func<string, string> tooltip)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        return candidates
            .Where(candidate => candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(candidate => new CompletionResult(candidate, candidate, CompletionResultType.ParameterValue, tooltip(candidate)));
    }
}
