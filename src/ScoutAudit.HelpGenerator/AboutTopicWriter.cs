using System.Text;
using Markdig;
using Markdig.Syntax;

namespace ScoutAudit.HelpGenerator;

/// <summary>
/// Turns an about_ topic in PlatyPS's markdown (<c># about_X</c>, <c>## SHORT DESCRIPTION</c>,
/// <c>## LONG DESCRIPTION</c>...) into the plain text Get-Help shows: headings in capitals,
/// text indented and wrapped for an 80-column console, code indented further.
/// </summary>
internal static class AboutTopicWriter
{
    private const int Width = 80;
    private const string Indent = "    ";

    public static string Write(string markdown, string path)
    {
        var document = Markdown.Parse(markdown, new MarkdownPipelineBuilder().Build());
        var text = new StringBuilder();
        var hasTitle = false;
        foreach (var block in document)
        {
            switch (block)
            {
                case HeadingBlock { Level: 1 } title:
                    text.Append("TOPIC\n").Append(Indent).Append(MarkdownText.Of(title.Inline).Trim()).Append("\n\n");
                    hasTitle = true;
                    break;
                case HeadingBlock { Level: 2 } heading:
                    text.Append(MarkdownText.Of(heading.Inline).Trim().ToUpperInvariant()).Append('\n');
                    break;
                case HeadingBlock heading:
                    text.Append(Indent[..2]).Append(MarkdownText.Of(heading.Inline).Trim()).Append('\n');
                    break;
                case FencedCodeBlock code:
                    foreach (var line in MarkdownText.Lines(code).Split('\n')) text.Append(Indent).Append(Indent).Append(line).Append('\n');
                    text.Append('\n');
                    break;
                case HtmlBlock:
                    break;
                default:
                    foreach (var paragraph in MarkdownText.Paragraphs(block)) Wrap(text, paragraph);
                    break;
            }
        }
        if (!hasTitle) throw new HelpSourceException(path, "has no '# about_<topic>' heading");
        return text.ToString();
    }

    private static void Wrap(StringBuilder text, string paragraph)
    {
        var hanging = paragraph.StartsWith("- ", StringComparison.Ordinal) ? Indent + "  " : Indent;
        var line = new StringBuilder(Indent);
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length + word.Length + 1 > Width && line.Length > hanging.Length)
            {
                text.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append(hanging);
            }
            line.Append(word).Append(' ');
        }
        text.Append(line.ToString().TrimEnd()).Append("\n\n");
    }
}
