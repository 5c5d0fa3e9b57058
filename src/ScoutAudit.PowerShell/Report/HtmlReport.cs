using System.Globalization;
using System.Net;
using System.Text;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Report;

/// <summary>What a report says about itself: its title, the daily budget, the logs it read and when it was made.</summary>
internal sealed record ReportHeading(string Title, decimal? Budget, IReadOnlyList<string> Logs, DateTimeOffset Generated);

/// <summary>
/// Writes a <see cref="SpendReport"/> as one self-contained HTML page: styles and SVG charts inline,
/// every chart followed by a table of its numbers (for screen readers and for copying), and a
/// Content-Security-Policy that lets the page make no request and run no script, so it can be
/// mailed or archived and opens offline. Every text that comes from a log (models, sessions,
/// reasons, the log's path) is HTML-encoded; the charts' text is encoded by their XML writer.
/// </summary>
internal static class HtmlReport
{
    /// <summary>Models with a colour of their own in the spend chart; the rest are stacked together.</summary>
    public const int StackedModels = 6;

    /// <summary>
    /// How a page says it is a report of Export-ScoutAuditReport, early in its head (<see cref="IsReport"/>):
    /// the cmdlet replaces such a page without -Force, and any other file only with it.
    /// </summary>
    public const string Generator = "<meta name=\"generator\" content=\"ScoutAudit Export-ScoutAuditReport\">";

    /// <summary>How far into a page <see cref="Generator"/> is looked for: it follows the doctype, the charset and the policy, and comes before the title.</summary>
    public const int HeadBytes = 4096;

    /// <summary>
    /// Whether <paramref name="head"/>, the first bytes of a file, are those of a page this class wrote.
    /// Text from a log or the title is HTML-encoded, so none of it can be taken for the marker.
    /// </summary>
    public static bool IsReport(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head[..Math.Min(head.Length, HeadBytes)]);
        return text.StartsWith("<!DOCTYPE html>\n", StringComparison.Ordinal) && text.Contains(Generator, StringComparison.Ordinal);
    }

    private const string Policy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private static readonly string[] DayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public static void Write(TextWriter page, SpendReport report, ReportHeading heading)
    {
        var days = report.Days.Select(d => d.Date.ToString("MM-dd", CultureInfo.InvariantCulture)).ToList();
        var stacks = Stacks(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Policy).Append("\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(Generator).Append('\n')
            .Append("<title>").Append(Text(heading.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n");

        html.Append("<header>\n<h1>").Append(Text(heading.Title)).Append("</h1>\n<p class=\"window\">")
            .Append(Date(report.Days[0].Date)).Append(" to ").Append(Date(report.Days[^1].Date)).Append(" (UTC days), ")
            .Append(report.Days.Count).Append(" days. Made ").Append(Text(UtcTimestamp.Format(heading.Generated))).Append(" from ")
            .AppendJoin(", ", heading.Logs.Select(log => "<code>" + Text(log) + "</code>")).Append(".</p>\n");
        Totals(html, report, heading.Budget);
        html.Append("</header>\n<main>\n");

        Section(html, "spend", "Spend per day, by model",
            Legend(stacks.Select(s => s.Name)) + ReportCharts.SpendPerDay(days, stacks, heading.Budget),
            heading.Budget is { } budget ? $"Stacked by model; the dashed line is the budget of {Money(budget)} a day." : "Stacked by model.",
            SpendTable(report, stacks, heading.Budget));
        Section(html, "tokens", "Tokens per day",
            Legend(["input tokens", "output tokens"]) + ReportCharts.TokensPerDay(days, [.. report.Days.Select(d => d.Spend.InputTokens)], [.. report.Days.Select(d => d.Spend.OutputTokens)]),
            "Input and output tokens of every event of the day.",
            Table("tokens-table", ["Day", "Input tokens", "Output tokens"],
                report.Days.Select(d => new[] { Date(d.Date), Number(d.Spend.InputTokens), Number(d.Spend.OutputTokens) })));
        Section(html, "accuracy", "Accuracy per day",
            ReportCharts.AccuracyPerDay(days, [.. report.Days.Select(d => d.Accuracy.TotalNav == 0 ? (double?)null : d.Accuracy.AccuracyPct)]),
            "The original's accuracy: 100 × (nav events − validation failures) / nav events, rounded to 2 decimals; 100 on a day without nav events, which the chart leaves out.",
            Table("accuracy-table", ["Day", "Nav events", "Validation failures", "Accuracy %"],
                report.Days.Select(d => new[] { Date(d.Date), Number(d.Accuracy.TotalNav), Number(d.Accuracy.ValidationFailCount), Percent(d.Accuracy.AccuracyPct) })));
        Section(html, "hours", "Events per hour of the day (UTC)",
            ReportCharts.Counts([.. Enumerable.Range(0, 24).Select(h => h.ToString("00", CultureInfo.InvariantCulture))], report.EventsByHourOfDay, "events"),
            "Every event of the window, by the UTC hour it was written in.",
            Table("hours-table", ["Hour (UTC)", "Events"],
                report.EventsByHourOfDay.Select((count, hour) => new[] { hour.ToString("00", CultureInfo.InvariantCulture) + ":00", Number(count) })));
        Section(html, "weekdays", "Events per day of the week (UTC)",
            ReportCharts.Counts(DayNames, report.EventsByDayOfWeek, "events"),
            "Every event of the window, by its UTC day of the week.",
            Table("weekdays-table", ["Day of the week", "Events"], report.EventsByDayOfWeek.Select((count, day) => new[] { DayNames[day], Number(count) })));

        html.Append("<section id=\"top\">\n<h2>Where the money went</h2>\n<div class=\"pair\">\n<div>\n<h3>Models by cost</h3>\n")
            .Append(Table("models-table", ["Model", "Cost (USD)", "Events", "Input tokens", "Output tokens"],
                report.Models.Select(m => new[] { Text(m.Group ?? "(no model)"), Cost(m.Cost), Number(m.Events), Number(m.InputTokens), Number(m.OutputTokens) }), open: true))
            .Append("</div>\n<div>\n<h3>Sessions by cost (top ").Append(SpendReportBuilder.TopCount).Append(")</h3>\n")
            .Append(Table("sessions-table", ["Session", "Cost (USD)", "Events", "Input tokens", "Output tokens"],
                report.Sessions.Select(s => new[] { "<code>" + Text(s.Group!) + "</code>", Cost(s.Cost), Number(s.Events), Number(s.InputTokens), Number(s.OutputTokens) }), open: true))
            .Append("</div>\n</div>\n</section>\n");

        var reasons = report.FailureReasons.Select(r => new[] { r.Key is null ? "<em>(no reason)</em>" : Text(r.Key), Number(r.Value) }).ToList();
        if (report.OtherFailureReasons > 0) reasons.Add(["<em>(other reasons)</em>", Number(report.OtherFailureReasons)]);
        html.Append("<section id=\"reasons\">\n<h2>Most frequent validation failure reasons</h2>\n")
            .Append(reasons.Count == 0 ? "<p>No validation failure in the window.</p>\n" : Table("reasons-table", ["Reason", "Validation failures"], reasons, open: true))
            .Append("</section>\n</main>\n<footer>Made by ScoutAudit's Export-ScoutAuditReport. Days are UTC days; costs are the sums Get-ScoutAuditSpend gives, accuracy is Get-ScoutAuditAccuracy's.</footer>\n</body>\n</html>\n");
        page.Write(html.ToString());
    }

    /// <summary>The spend chart's stacks: the models that cost most, each its own; the others together; events without a model.</summary>
    private static List<(string Name, decimal[] PerDay)> Stacks(SpendReport report)
    {
        var named = report.Models.Where(m => m.Group is not null).Select(m => m.Group!).ToList();
        var own = named.Take(StackedModels).ToList();
        var stacks = own.Select(model => (model, report.Days.Select(d => d.CostByModel.GetValueOrDefault(model)).ToArray())).ToList();
        if (named.Count > StackedModels)
            stacks.Add(($"{named.Count - StackedModels} other models", report.Days.Select(d => d.CostByModel.Where(c => !own.Contains(c.Key)).Sum(c => c.Value)).ToArray()));
        if (report.Models.Any(m => m.Group is null))
            stacks.Add(("(no model)", report.Days.Select(d => d.CostWithoutModel).ToArray()));
        return stacks;
    }

    /// <summary>The names of a chart's series with their colours, in the chart's order.</summary>
    private static string Legend(IEnumerable<string> names) =>
        "<ul class=\"legend\">" + string.Concat(names.Select((name, i) =>
            $"<li><span class=\"swatch\" style=\"background:{ReportCharts.ColourOf(i)}\"></span>{Text(name)}</li>")) + "</ul>\n";

    private static void Totals(StringBuilder html, SpendReport report, decimal? budget)
    {
        var overBudget = budget is { } limit ? report.Days.Count(d => d.Spend.Cost > limit) : (int?)null;
        html.Append("<dl class=\"totals\" id=\"totals\">\n");
        Total(html, "Cost", Money(report.Totals.Cost));
        Total(html, "Events", Number(report.Totals.Events));
        Total(html, "Input tokens", Number(report.Totals.InputTokens));
        Total(html, "Output tokens", Number(report.Totals.OutputTokens));
        Total(html, "Accuracy", Percent(report.Accuracy.AccuracyPct) + " %" + (report.Accuracy.TotalNav == 0 ? " <small>(no nav events)</small>" : ""));
        Total(html, "Nav events", Number(report.Accuracy.TotalNav));
        Total(html, "Validation failures", Number(report.Accuracy.ValidationFailCount));
        if (overBudget is { } over) Total(html, "Days over budget", $"{over} of {report.Days.Count}");
        html.Append("</dl>\n");
    }

    private static void Total(StringBuilder html, string name, string value) =>
        html.Append("<div><dt>").Append(name).Append("</dt><dd>").Append(value).Append("</dd></div>\n");

    private static string SpendTable(SpendReport report, List<(string Name, decimal[] PerDay)> stacks, decimal? budget)
    {
        var columns = new List<string> { "Day", "Cost (USD)" };
        columns.AddRange(stacks.Select(s => Text(s.Name)));
        columns.Add("Events");
        if (budget is not null) columns.Add("Over budget");
        var rows = report.Days.Select((day, i) =>
        {
            var cells = new List<string> { Date(day.Date), Cost(day.Spend.Cost) };
            cells.AddRange(stacks.Select(s => Cost(s.PerDay[i])));
            cells.Add(Number(day.Spend.Events));
            if (budget is { } limit) cells.Add(day.Spend.Cost > limit ? "yes" : "");
            return cells.ToArray();
        });
        return Table("spend-table", [.. columns], rows);
    }

    private static void Section(StringBuilder html, string id, string heading, string svg, string caption, string table)
    {
        html.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(Text(heading)).Append("</h2>\n<figure>\n")
            .Append(svg.Replace("<svg ", $"<svg class=\"chart\" role=\"img\" aria-label=\"{Text(heading)}\" viewBox=\"0 0 {ReportCharts.Width} {ReportCharts.Height}\" ", StringComparison.Ordinal))
            .Append("\n<figcaption>").Append(Text(caption)).Append("</figcaption>\n</figure>\n").Append(table).Append("</section>\n");
    }

    /// <summary>A table of cells already encoded, under a disclosure that opens it (open for the tables that stand alone).</summary>
    private static string Table(string id, string[] columns, IEnumerable<string[]> rows, bool open = false)
    {
        var table = new StringBuilder();
        table.Append(open ? "<details open>" : "<details>").Append("<summary>Table of the numbers</summary>\n<table id=\"").Append(id).Append("\">\n<thead><tr>");
        foreach (var column in columns) table.Append("<th scope=\"col\">").Append(column).Append("</th>");
        table.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            table.Append("<tr>");
            for (var i = 0; i < row.Length; i++) table.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(row[i]).Append(i == 0 ? "</th>" : "</td>");
            table.Append("</tr>\n");
        }
        return table.Append("</tbody>\n</table>\n</details>\n").ToString();
    }

    /// <summary>
    /// Text of a log (or of the user) as HTML: control and bidirectional characters shown as U+FFFD by
    /// the one rule of the console views (<see cref="InertText"/>), since a browser would otherwise let a
    /// right-to-left override turn "exe.gnp" into "png.exe" in a table, then encoded.
    /// </summary>
    private static string Text(string text) => WebUtility.HtmlEncode(InertText.Of(text));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A cost exactly as Get-ScoutAuditSpend sums it (a decimal: no digit lost or invented).</summary>
    private static string Cost(decimal cost) => cost.ToString(CultureInfo.InvariantCulture);

    private static string Money(decimal cost) => "$" + Cost(cost);

    private static string Number(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double pct) => pct.ToString("0.00", CultureInfo.InvariantCulture);

    private const string Style = """

        :root { color-scheme: light; font-family: Helvetica, Arial, sans-serif; color: #1a1a1a; background: #fff; }
        body { max-width: 960px; margin: 0 auto; padding: 16px 24px 48px; line-height: 1.4; }
        h1 { font-size: 1.6em; margin: 0.2em 0; }
        h2 { font-size: 1.2em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
        h3 { font-size: 1em; margin: 0.6em 0 0.3em; }
        .window { color: #555; margin: 0 0 1em; overflow-wrap: anywhere; }
        .totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 8px; margin: 0; }
        .totals div { border: 1px solid #ddd; border-radius: 6px; padding: 8px 10px; }
        .totals dt { font-size: 0.8em; color: #555; }
        .totals dd { margin: 0; font-size: 1.25em; font-weight: 600; font-variant-numeric: tabular-nums; }
        .totals small { font-size: 0.6em; font-weight: 400; color: #555; }
        figure { margin: 0; }
        .legend { list-style: none; padding: 0; margin: 0.3em 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.85em; }
        .legend li { overflow-wrap: anywhere; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.35em; vertical-align: -0.05em; }
        svg.chart { width: 100%; height: auto; display: block; }
        figcaption { font-size: 0.85em; color: #555; margin: 0.2em 0 0.4em; }
        details { margin: 0.4em 0; }
        summary { cursor: pointer; color: #0b5cad; font-size: 0.9em; }
        table { border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid #e5e5e5; padding: 3px 8px; text-align: right; }
        th[scope=row], thead th:first-child { text-align: left; }
        td:first-child, th[scope=row] { overflow-wrap: anywhere; max-width: 28em; }
        .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
        @media (max-width: 760px) { .pair { grid-template-columns: 1fr; } }
        code { font-size: 0.9em; overflow-wrap: anywhere; }
        footer { margin-top: 3em; font-size: 0.8em; color: #777; }
        @media print { details { display: block; } details > summary { display: none; } }

        """;
}
