using System.Text;
using System.Text.RegularExpressions;

namespace ScoutAudit.Shell.Tests.DocumentedExamples;

/// <summary>One PowerShell code example of a markdown page.</summary>
/// <param name="File">The page, relative to the repository root.</param>
/// <param name="Line">The line of the opening fence (1-based).</param>
/// <param name="Code">The commands.</param>
/// <param name="RequiresPwsh">Marked <c>&lt;!-- requires: pwsh --&gt;</c>: counted, not run.</param>
/// <param name="PromptLine">The first line that starts with a prompt (<c>PS&gt;</c>, <c>PS C:\&gt;</c>), which the convention forbids.</param>
public sealed record MarkdownExample(string File, int Line, string Code, bool RequiresPwsh, int? PromptLine)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>
/// Finds the code examples of a markdown page: every fenced block (``` or ~~~) whose info string starts with
/// <c>powershell</c>, <c>pwsh</c> or <c>ps1</c>, case-insensitive. Other blocks (<c>yaml</c> parameter tables,
/// <c>output</c>, <c>text</c>, <c>json</c>, the unlabelled SYNTAX blocks of PlatyPS pages) are not examples.
/// </summary>
/// <remarks>
/// Conventions the docs follow (and the test enforces):
/// <list type="bullet">
/// <item>A code block holds commands only, as in PlatyPS's pages: no prompt, no output. Output, when shown, goes
/// in a separate paragraph or block (<c>```output</c>). A line in an example that starts with a prompt
/// (<c>PS&gt;</c>, <c>PS C:\&gt;</c>, <c>PS /home/x&gt;</c>) is reported as <see cref="MarkdownExample.PromptLine"/>
/// rather than guessed at: the lines after a prompt could be output or more commands, and running either wrongly
/// would make the test meaningless.</item>
/// <item>An example that needs a full PowerShell (say, one using <c>Import-Csv</c>) is marked by the HTML comment
/// <c>&lt;!-- requires: pwsh --&gt;</c> as the last non-blank line before its fence; PlatyPS and markdown
/// renderers ignore the comment.</item>
/// </list>
/// </remarks>
public static partial class MarkdownExamples
{
    public const string RequiresPwshMarker = "<!-- requires: pwsh -->";

    public static IReadOnlyList<MarkdownExample> Extract(string markdown, string file)
    {
        var examples = new List<MarkdownExample>();
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? lastNonBlank = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var open = FencePattern().Match(lines[i]);
            if (!open.Success)
            {
                if (lines[i].Trim().Length > 0)
                {
                    lastNonBlank = lines[i].Trim();
                }

                continue;
            }

            int indent = open.Groups["indent"].Length;
            string fence = open.Groups["fence"].Value;
            string language = open.Groups["info"].Value.Trim().Split(' ', 2)[0];
            bool requiresPwsh = string.Equals(lastNonBlank, RequiresPwshMarker, StringComparison.OrdinalIgnoreCase);
            int start = i;
            var code = new StringBuilder();
            int? promptLine = null;
            for (i++; i < lines.Length && !IsClosing(lines[i], fence); i++)
            {
                string content = StripIndent(lines[i], indent);
                if (promptLine is null && PromptPattern().IsMatch(content))
                {
                    promptLine = i + 1;
                }

                code.Append(content).Append('\n');
            }

            if (IsPowerShell(language))
            {
                examples.Add(new MarkdownExample(file, start + 1, code.ToString(), requiresPwsh, promptLine));
            }

            lastNonBlank = null;
        }

        return examples;
    }

    private static bool IsPowerShell(string language) =>
        language.Equals("powershell", StringComparison.OrdinalIgnoreCase) ||
        language.Equals("pwsh", StringComparison.OrdinalIgnoreCase) ||
        language.Equals("ps1", StringComparison.OrdinalIgnoreCase);

    // A closing fence uses the opening's character, at least as many of them, and nothing else on the line.
    private static bool IsClosing(string line, string fence)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]) && line.Length - line.TrimStart().Length <= 3;
    }

    private static string StripIndent(string line, int indent)
    {
        int strip = 0;
        while (strip < indent && strip < line.Length && line[strip] == ' ')
        {
            strip++;
        }

        return line[strip..];
    }

    [GeneratedRegex(@"^(?<indent> {0,3})(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^\s*PS(\s+[^>\n]*)?>")]
    private static partial Regex PromptPattern();
}
