using System.Text;

namespace ScoutAudit;

/// <summary>
/// A heading line and indented paragraphs, word-wrapped to the console's width: PowerShell's custom
/// views wrap at the last column whatever the word, and lose a frame's indent after a line break in
/// the text, so Test-ScoutAuditLog's views lay their text out here. The text is made inert
/// (<see cref="InertText"/>) first: it quotes the archive index, the verification state and paths,
/// and a view's line breaks must be the layout's own.
/// </summary>
internal static class WrappedText
{
    public const int Indent = 9;

    public static string Layout(string heading, IEnumerable<string?> paragraphs, int width)
    {
        // Redirected or unknown consoles report 0; the last column is left free, as PowerShell does.
        var columns = (width is > 0 and < 40 ? 40 : width <= 0 ? 120 : width) - 1;
        var text = new StringBuilder(InertText.Of(heading));
        foreach (var paragraph in paragraphs)
        {
            if (string.IsNullOrEmpty(paragraph)) continue;
            var line = new StringBuilder();
            foreach (var word in InertText.Of(paragraph).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var piece in Pieces(word, columns - Indent))
                {
                    if (line.Length > 0 && Indent + line.Length + 1 + piece.Length > columns)
                    {
                        text.Append('\n').Append(' ', Indent).Append(line);
                        line.Clear();
                    }
                    if (line.Length > 0) line.Append(' ');
                    line.Append(piece);
                }
            }
            if (line.Length > 0) text.Append('\n').Append(' ', Indent).Append(line);
        }
        return text.ToString();
    }

    /// <summary>A word longer than a line (a path, a digest) is cut into lines' worth.</summary>
    private static IEnumerable<string> Pieces(string word, int room)
    {
        for (var start = 0; start < word.Length; start += room)
            yield return word.Substring(start, Math.Min(room, word.Length - start));
    }
}
