using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ScoutAudit;

/// <summary>
/// The one rule for text from outside the module on its way to a terminal: every control character
/// (\p{Cc}: ESC, BEL, CR, LF...), line and paragraph separator (U+2028, U+2029) and bidirectional
/// control (U+202A-U+202E, U+2066-U+2069) is shown as U+FFFD. A log line, an archive index, a
/// verification state or a path may carry any of them, and a host writes views, warnings and
/// verbose messages to the terminal as they are: an escape sequence would act on it (clear it,
/// retitle it), a newline or a bidi override would make a line read otherwise. The replacement keeps
/// the text's length and shows where something was. The views of ScoutAudit.format.ps1xml, the
/// text the output objects lay out (<see cref="WrappedText"/>) and the cmdlets' messages all call it.
/// </summary>
public static partial class InertText
{
    /// <summary><paramref name="text"/> with each character that could act on a terminal replaced by U+FFFD; null for null.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Of(string? text) => text is null ? null : Unsafe().Replace(text, "\uFFFD");

    [GeneratedRegex(@"[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();
}
