using System.Buffers;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ScoutAudit.PowerShell.Completion;

internal static class Completions
{
    /// <summary>
    /// The candidates that start with what was typed (quotes around it ignored), in the given order.
    /// A candidate comes from a log any process may write, and a completion is typed into the command
    /// line for the user: one that is not a bare word (<c>gpt; Remove-Item ~ -Recurse</c>, a space, a
    /// quote, <c>$(...)</c>) is completed single-quoted, as PowerShell's own completers quote a path; one
    /// with a control or bidi character is not offered at all, as it would act on the terminal that
    /// shows the list.
    /// </summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string? wordToComplete, Func<string, string> tooltip)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"', '\u2018', '\u2019', '\u201A', '\u201B');
        return candidates
            .Where(candidate => candidate.Length > 0 && InertText.IsInert(candidate) && candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(candidate => new CompletionResult(Quoted(candidate), candidate, CompletionResultType.ParameterValue, tooltip(candidate)));
    }

    /// <summary><paramref name="candidate"/> as it may be typed: as it is when every character is one of a bare word, else single-quoted.</summary>
    internal static string Quoted(string candidate) =>
        candidate.AsSpan().ContainsAnyExcept(BareWord)
            ? $"'{CodeGeneration.EscapeSingleQuotedStringContent(candidate)}'"
            : candidate;

    /// <summary>Characters that stay one plain argument unquoted (event types like <c>nav</c>, models like <c>gpt-4o-mini</c>, <c>org/model:v2</c>).</summary>
    private static readonly SearchValues<char> BareWord =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:+");
}
