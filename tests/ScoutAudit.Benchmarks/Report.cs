using System.Text;

namespace ScoutAudit.Benchmarks;

/// <summary>One row of the results table.</summary>
/// <param name="Workload">What was measured.</param>
/// <param name="Ours">ScoutAudit's figure (median, min–max).</param>
/// <param name="Peer">The peer's figure, and which peer.</param>
/// <param name="Ratio">How ScoutAudit compares, as the target states it (e.g. "3.1x faster").</param>
/// <param name="Target">The target of issue 5.</param>
/// <param name="Met">Whether the target is met; null when it could not be judged.</param>
internal sealed record Row(string Workload, string Ours, string Peer, string Ratio, string Target, bool? Met);

/// <summary>Collects rows and prints them as a Markdown table.</summary>
internal sealed class Report(bool judge)
{
    private readonly List<Row> _rows = [];

    public void Add(Row row)
    {
        _rows.Add(row);
        Console.Error.WriteLine($"  done: {row.Workload}");
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | ScoutAudit | peer | ratio | target | met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
            text.AppendLine($"| {Cell(row.Workload)} | {Cell(row.Ours)} | {Cell(row.Peer)} | {Cell(row.Ratio)} | {Cell(row.Target)} | {(judge ? Verdict(row.Met) : "not judged")} |");
        return text.ToString();
    }

    private static string Verdict(bool? met) => met switch { true => "yes", false => "**no**", null => "n/a" };

    private static string Cell(string text) => text.Replace("|", "\\|");
}
