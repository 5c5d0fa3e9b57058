namespace ScoutAudit.HelpGenerator;

/// <summary>One cmdlet's help page, as read from its PlatyPS markdown.</summary>
internal sealed class CommandHelp
{
    public required string Name { get; init; }

    public string Synopsis { get; set; } = "";

    public List<string> Description { get; } = [];

    /// <summary>Parameter set names from the SYNTAX section's headings; empty when the cmdlet has one set.</summary>
    public List<string> ParameterSets { get; } = [];

    public List<ExampleHelp> Examples { get; } = [];

    public List<ParameterHelp> Parameters { get; } = [];

    public List<TypeHelp> Inputs { get; } = [];

    public List<TypeHelp> Outputs { get; } = [];

    public List<string> Notes { get; } = [];

    public List<(string Text, string Uri)> RelatedLinks { get; } = [];

    public string? OnlineVersion { get; set; }
}

internal sealed class ExampleHelp
{
    public required string Title { get; init; }

    public List<string> Code { get; } = [];

    public List<string> Remarks { get; } = [];
}

internal sealed class ParameterHelp
{
    public required string Name { get; init; }

    public List<string> Description { get; } = [];

    /// <summary>The yaml block's fields: Type, Parameter Sets, Aliases, Required, Position, Default value...</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string Field(string name, string fallback = "") =>
        Metadata.TryGetValue(name, out var value) && value.Length > 0 ? value : fallback;

    /// <summary>The sets the parameter is in; <c>(All)</c> when it is in every one.</summary>
    public IReadOnlyList<string> Sets => Field("Parameter Sets", "(All)").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public bool IsIn(string set) => Sets.Contains("(All)") || Sets.Contains(set, StringComparer.OrdinalIgnoreCase);
}

internal sealed record TypeHelp(string Type, List<string> Description);
