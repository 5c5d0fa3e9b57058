namespace ScoutAudit;

/// <summary>Spend of one group, or of every event in the window when not grouped.</summary>
public sealed class SpendRow
{
    internal SpendRow(Core.SpendTotals row, string path)
    {
        Path = path;
        Group = InertText.Of(row.Group);
        Cost = row.Cost;
        Events = row.Events;
        InputTokens = row.InputTokens;
        OutputTokens = row.OutputTokens;
        Since = row.Since?.LocalDateTime;
        Until = row.Until?.LocalDateTime;
    }

    /// <summary>
    /// The model, event type or session; the UTC hour (<c>yyyy-MM-ddTHH:00Z</c>) or day
    /// (<c>yyyy-MM-dd</c>); null when not grouped, and for events without a model when grouped by model.
    /// </summary>
    public string? Group { get; }

    /// <summary>Total cost, summed exactly; events without a cost count as 0.</summary>
    public decimal Cost { get; }

    public long Events { get; }

    public long InputTokens { get; }

    public long OutputTokens { get; }

    /// <summary>Start of the window (inclusive), local time; null when open.</summary>
    public DateTime? Since { get; }

    /// <summary>End of the window (exclusive), local time; null when open.</summary>
    public DateTime? Until { get; }

    /// <summary>The log the row sums (its active file's full path).</summary>
    public string Path { get; }

    public override string ToString() => $"{Group ?? "(all)"}: {Cost} ({Events} events)";
}
