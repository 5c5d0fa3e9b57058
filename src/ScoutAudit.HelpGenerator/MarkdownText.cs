using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ScoutAudit.HelpGenerator;

/// <summary>Plain text of markdown blocks and inlines: help is shown in a console, without markup.</summary>
internal static class MarkdownText
{
    public static string Of(Inline? inline)
    {
        var text = new StringBuilder();
        Append(text, inline);
        return text.ToString();
    }

    /// <summary>The paragraphs a block stands for: a paragraph is one, a list one per item ("- item").</summary>
    public static IEnumerable<string> Paragraphs(Block block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                yield return Of(paragraph.Inline).Trim();
                break;
            case ListBlock list:
                var number = 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var marker = list.IsOrdered ? $"{number++}." : "-";
                    yield return $"{marker} {string.Join(" ", item.SelectMany(Paragraphs))}";
                }
                break;
            case QuoteBlock quote:
                foreach (var inner in quote.SelectMany(Paragraphs)) yield return inner;
                break;
            case FencedCodeBlock code:
                yield return Lines(code);
                break;
        }
    }

    public static string Lines(LeafBlock block) =>
        string.Join("\n", block.Lines.Lines.Take(block.Lines.Count).Select(line => line.ToString())).TrimEnd();

    private static void Append(StringBuilder text, Inline? inline)
    {
        switch (inline)
        {
            case null:
                return;
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case HtmlInline:
                break;
            case LinkInline link when link.IsImage:
                break;
            case ContainerInline container:
                foreach (var child in container) Append(text, child);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
        }
    }
}
