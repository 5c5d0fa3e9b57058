using System.Xml.Linq;

namespace ScoutAudit.HelpGenerator;

/// <summary>
/// Writes cmdlet help as MAML, the XML that Get-Help reads for compiled cmdlets
/// (<c>&lt;Assembly&gt;.dll-Help.xml</c>), in the shape PlatyPS's New-ExternalHelp produces.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp help)
    {
        var dash = help.Name.IndexOf('-', StringComparison.Ordinal);
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", dash > 0 ? help.Name[..dash] : help.Name),
                new XElement(Command + "noun", dash > 0 ? help.Name[(dash + 1)..] : ""),
                Description([help.Synopsis])),
            Description(help.Description),
            new XElement(Command + "syntax", SyntaxSets(help).Select(set => SyntaxItem(help, set))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, null))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", RelatedLinks(help)));
    }

    private static IReadOnlyList<string> SyntaxSets(CommandHelp help) =>
        help.ParameterSets.Count > 0 ? help.ParameterSets : ["__AllParameterSets"];

    private static XElement SyntaxItem(CommandHelp help, string set) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            help.Parameters.Where(p => set == "__AllParameterSets" || p.IsIn(set)).Select(p => Parameter(p, set)));

    private static XElement Parameter(ParameterHelp parameter, string? set)
    {
        var type = parameter.Field("Type", "Object");
        var isSwitch = type == "SwitchParameter";
        var position = parameter.Field("Position", "Named");
        return new XElement(Command + "parameter",
            new XAttribute("required", IsTrue(parameter.Field("Required", "False"), set) ? "true" : "false"),
            new XAttribute("variableLength", type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", IsTrue(parameter.Field("Accept wildcard characters", "False"), set) ? "true" : "false"),
            new XAttribute("pipelineInput", parameter.Field("Accept pipeline input", "False")),
            new XAttribute("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position),
            new XAttribute("aliases", parameter.Field("Aliases", "none")),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), type),
            new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.Field("Default value", isSwitch ? "False" : "None")));
    }

    /// <summary>"True", "False", or PlatyPS's per-set form "True (Hours), False (Window)".</summary>
    private static bool IsTrue(string value, string? set)
    {
        if (!value.Contains('(', StringComparison.Ordinal)) return value.StartsWith("True", StringComparison.OrdinalIgnoreCase);
        foreach (var part in value.Split(','))
        {
            var trimmed = part.Trim();
            if (set is not null && trimmed.Contains($"({set})", StringComparison.OrdinalIgnoreCase))
                return trimmed.StartsWith("True", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    private static XElement TypeElement(string kind, TypeHelp type) =>
        new(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", type.Type)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example, int index) =>
        new(Command + "example",
            new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
            new XElement(Dev + "code", string.Join("\n\n", example.Code)),
            new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    private static IEnumerable<XElement> RelatedLinks(CommandHelp help)
    {
        if (help.OnlineVersion is { Length: > 0 } online)
            yield return Link("Online Version:", online);
        foreach (var (text, uri) in help.RelatedLinks) yield return Link(text, uri);
    }

    private static XElement Link(string text, string uri) =>
        new(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));
}
