using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ScoutAudit.HelpGenerator;

/// <summary>
/// Reads a cmdlet page in PlatyPS's markdown schema 2.0.0: front matter, then the sections
/// SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS.
/// A page that misses what help needs is refused with the page and the gap named.
/// </summary>
internal static class CommandPageReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static CommandHelp Read(string path)
    {
        var document = Markdown.Parse(File.ReadAllText(path), Pipeline);
        var title = document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1)
            ?? throw new HelpSourceException(path, "has no '# <cmdlet name>' heading");
        var help = new CommandHelp { Name = MarkdownText.Of(title.Inline).Trim() };
        if (document.OfType<YamlFrontMatterBlock>().FirstOrDefault() is { } frontMatter)
            help.OnlineVersion = YamlFields(MarkdownText.Lines(frontMatter)).GetValueOrDefault("online version");

        string? section = null;
        ExampleHelp? example = null;
        ParameterHelp? parameter = null;
        TypeHelp? type = null;
        foreach (var block in document)
        {
            if (block is HeadingBlock { Level: 2 } h2)
            {
                section = MarkdownText.Of(h2.Inline).Trim().ToUpperInvariant();
                example = null;
                parameter = null;
                type = null;
                continue;
            }
            if (block is HeadingBlock { Level: 3 } h3)
            {
                var heading = MarkdownText.Of(h3.Inline).Trim();
                switch (section)
                {
                    case "SYNTAX":
                        help.ParameterSets.Add(heading.Replace("(Default)", "", StringComparison.OrdinalIgnoreCase).Trim());
                        break;
                    case "EXAMPLES":
                        help.Examples.Add(example = new ExampleHelp { Title = heading });
                        break;
                    case "PARAMETERS" when heading.StartsWith('-'):
                        help.Parameters.Add(parameter = new ParameterHelp { Name = heading[1..] });
                        break;
                    case "PARAMETERS":
                        parameter = null; // ### CommonParameters: the engine describes those
                        break;
                    case "INPUTS":
                        help.Inputs.Add(type = new TypeHelp(heading, []));
                        break;
                    case "OUTPUTS":
                        help.Outputs.Add(type = new TypeHelp(heading, []));
                        break;
                }
                continue;
            }
            if (block is HtmlBlock) continue; // comments, not help text

            switch (section)
            {
                case "SYNOPSIS":
                    help.Synopsis = string.Join(" ", new[] { help.Synopsis }.Concat(MarkdownText.Paragraphs(block))).Trim();
                    break;
                case "DESCRIPTION":
                    help.Description.AddRange(MarkdownText.Paragraphs(block));
                    break;
                case "EXAMPLES" when example is not null:
                    // The commands are the powershell blocks; a block of another kind (```output) shows what
                    // they print, and is part of the remarks, as in PlatyPS.
                    if (block is FencedCodeBlock { Info: "powershell" or "pwsh" or "ps1" } code) example.Code.Add(MarkdownText.Lines(code));
                    else example.Remarks.AddRange(MarkdownText.Paragraphs(block));
                    break;
                case "PARAMETERS" when parameter is not null:
                    if (block is FencedCodeBlock { Info: "yaml" } yaml)
                    {
                        foreach (var (key, value) in YamlFields(MarkdownText.Lines(yaml))) parameter.Metadata[key] = value;
                    }
                    else
                    {
                        parameter.Description.AddRange(MarkdownText.Paragraphs(block));
                    }
                    break;
                case "INPUTS" or "OUTPUTS" when type is not null:
                    type.Description.AddRange(MarkdownText.Paragraphs(block));
                    break;
                case "NOTES":
                    help.Notes.AddRange(MarkdownText.Paragraphs(block));
                    break;
                case "RELATED LINKS":
                    AddLinks(help, block);
                    break;
            }
        }
        Check(path, help);
        return help;
    }

    private static void AddLinks(CommandHelp help, Block block)
    {
        foreach (var link in Links(block))
        {
            // Links to sibling pages are shown by name; Get-Help -Online only follows absolute URIs.
            var uri = link.Url is { } url && url.Contains("://", StringComparison.Ordinal) ? url : "";
            help.RelatedLinks.Add((MarkdownText.Of(link).Trim(), uri));
        }
    }

    /// <summary>
    /// The links of a block, in text order: of its paragraphs, list items and quotes. (Markdig's
    /// Block.Descendants does not enter a paragraph's inlines, which is where links are.)
    /// </summary>
    private static IEnumerable<LinkInline> Links(Block block) => block switch
    {
        LeafBlock { Inline: { } inline } => Links(inline),
        ContainerBlock container => container.SelectMany(Links),
        _ => [],
    };

    private static IEnumerable<LinkInline> Links(Inline inline)
    {
        if (inline is LinkInline link)
        {
            yield return link;
            yield break;
        }
        if (inline is not ContainerInline container) yield break;
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            foreach (var found in Links(child)) yield return found;
        }
    }

    private static Dictionary<string, string> YamlFields(string yaml)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in yaml.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return fields;
    }

    private static void Check(string path, CommandHelp help)
    {
        if (help.Synopsis.Length == 0) throw new HelpSourceException(path, "has no SYNOPSIS text");
        if (help.Description.Count == 0) throw new HelpSourceException(path, "has no DESCRIPTION text");
        if (help.Examples.Count < 2) throw new HelpSourceException(path, $"has {help.Examples.Count} examples; every cmdlet page needs at least two");
        foreach (var example in help.Examples)
        {
            if (example.Code.Count == 0) throw new HelpSourceException(path, $"'{example.Title}' has no code block");
        }
        foreach (var parameter in help.Parameters)
        {
            if (parameter.Description.Count == 0) throw new HelpSourceException(path, $"parameter -{parameter.Name} has no description");
            if (!parameter.Metadata.ContainsKey("Type")) throw new HelpSourceException(path, $"parameter -{parameter.Name} has no ```yaml block with its Type");
        }
    }
}

/// <summary>A help page that cannot be turned into help.</summary>
internal sealed class HelpSourceException(string path, string problem) : Exception($"{path} {problem}.");
