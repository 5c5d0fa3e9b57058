using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace ScoutAudit;

/// <summary>
/// The one rule for text from outside the module on its way to a terminal: every control character
/// (\p{Cc}: ESC, BEL, CR, LF...), line and paragraph separator (U+2028, U+2029) and bidirectional
/// control (U+202A-U+202E, U+2066-U+2069) is shown as U+FFFD. A log line, an archive index, a
/// verification state or a path may carry any of them, and a host writes views, warnings and
/// verbose messages to the terminal as they are: an escape sequence would act on it (clear it,
/// retitle it, write the clipboard), a newline or a bidi override would make a line read otherwise.
/// The replacement keeps the text's length and shows where something was. The text properties of
/// the output objects (an event's Reason, Model, extras...), the views of ScoutAudit.format.ps1xml,
/// the text the output objects lay out (<see cref="WrappedText"/>) and the cmdlets' messages all call it.
/// </summary>
public static class InertText
{
    /// <summary><paramref name="text"/> with each character that could act on a terminal replaced by U+FFFD; null for null.</summary>
    /// <remarks>Text without such a character, nearly all of it, is returned as it is, without a copy:
    /// the properties of every event read call this.</remarks>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Of(string? text)
    {
        if (text is null) return null;
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0) return text;
        return string.Create(text.Length, (text, first), static (copy, state) =>
        {
            state.text.AsSpan().CopyTo(copy);
            for (var i = state.first; i < copy.Length; i++)
            {
                if (Unsafe.Contains(copy[i])) copy[i] = '\uFFFD';
            }
        });
    }

    /// <summary>Whether <paramref name="text"/> has a character <see cref="Of"/> would replace.</summary>
    public static bool IsInert(string text) => !text.AsSpan().ContainsAny(Unsafe);

    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
        + "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F"
        + "\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
}
