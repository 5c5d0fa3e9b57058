using System.Globalization;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Report;

/// <summary>
/// The report's charts as SVG, drawn by OxyPlot in managed code: the page needs no script and no
/// request to show them (its Content-Security-Policy forbids both), prints as it shows, and the
/// module loads no native library. OxyPlot writes text through an XML writer, so any text in a chart
/// is text, never markup. The legends are the page's own (<see cref="HtmlReport"/>): OxyPlot lays a
/// legend out by its own measure of the text, which the browser's fonts do not always keep to.
/// </summary>
internal static class ReportCharts
{
    public const int Width = 880;
    public const int Height = 340;

    /// <summary>Okabe and Ito's palette, told apart by readers with any colour vision, then greys for the rest.</summary>
    public static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

    private const string OtherColour = "#999999";
    private const string ValueAxis = "value";
    private const string CategoryAxisKey = "category";

    /// <summary>The colour of the <paramref name="index"/>th stacked series (models by spend, then "other").</summary>
    public static string ColourOf(int index) => index < Palette.Length ? Palette[index] : OtherColour;

    /// <summary>Spend per day stacked by the given series (coloured by <see cref="ColourOf"/>), with the daily budget as a line when there is one.</summary>
    public static string SpendPerDay(IReadOnlyList<string> days, IReadOnlyList<(string Name, decimal[] PerDay)> stacks, decimal? budget)
    {
        var model = ColumnChart(days, "USD", Money, wholeNumbers: false);
        for (var i = 0; i < stacks.Count; i++)
        {
            var series = Columns(stacks[i].Name, ColourOf(i), stacked: true);
            foreach (var cost in stacks[i].PerDay) series.Items.Add(new BarItem((double)cost));
            model.Series.Add(series);
        }
        if (budget is { } perDay)
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Horizontal,
                Y = (double)perDay,
                XAxisKey = CategoryAxisKey,
                YAxisKey = ValueAxis,
                Color = OxyColors.Red,
                StrokeThickness = 2,
                LineStyle = LineStyle.Dash,
                Text = $"budget {Money(Convert.ToDouble(perDay))}/day",
                TextColor = OxyColors.Red,
            });
            // The line must show even when every day is far under it.
            var highest = Enumerable.Range(0, days.Count).Select(day => stacks.Sum(stack => stack.PerDay[day])).DefaultIfEmpty(0).Max();
            ((LinearAxis)model.Axes.Single(a => a.Key == ValueAxis)).Maximum = (double)Math.Max(highest, perDay) * 1.15;
        }
        return Svg(model);
    }

    /// <summary>Input and output tokens per day, side by side.</summary>
    public static string TokensPerDay(IReadOnlyList<string> days, IReadOnlyList<long> input, IReadOnlyList<long> output)
    {
        var model = ColumnChart(days, "tokens", Count);
        var inputs = Columns("input tokens", ColourOf(0), stacked: false);
        var outputs = Columns("output tokens", ColourOf(1), stacked: false);
        foreach (var value in input) inputs.Items.Add(new BarItem(value));
        foreach (var value in output) outputs.Items.Add(new BarItem(value));
        model.Series.Add(inputs);
        model.Series.Add(outputs);
        return Svg(WithRoomWhenEmpty(model, input.Concat(output)));
    }

    /// <summary>One series of counts over categories (hours of the day, days of the week).</summary>
    public static string Counts(IReadOnlyList<string> categories, IReadOnlyList<long> counts, string what)
    {
        var model = ColumnChart(categories, what, Count);
        var series = Columns(what, Palette[0], stacked: false);
        foreach (var count in counts) series.Items.Add(new BarItem(count));
        model.Series.Add(series);
        return Svg(WithRoomWhenEmpty(model, counts));
    }

    /// <summary>Accuracy per day as a line, with a gap on the days without nav events (whose accuracy the original defines as 100).</summary>
    public static string AccuracyPerDay(IReadOnlyList<string> days, IReadOnlyList<double?> accuracy)
    {
        var model = Model();
        var categories = new CategoryAxis { Position = AxisPosition.Bottom, Key = CategoryAxisKey, Angle = -45, GapWidth = 0.5 };
        categories.Labels.AddRange(days);
        model.Axes.Add(categories);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Key = ValueAxis, Minimum = 0, Maximum = 100, Title = "accuracy %", MinorTickSize = 0, MajorGridlineStyle = LineStyle.Solid, MajorGridlineColor = OxyColor.FromRgb(230, 230, 230) });
        var line = new LineSeries
        {
            Title = "accuracy",
            XAxisKey = CategoryAxisKey,
            YAxisKey = ValueAxis,
            Color = OxyColor.Parse(Palette[2]),
            StrokeThickness = 2,
            MarkerType = MarkerType.Circle,
            MarkerSize = 3,
            MarkerFill = OxyColor.Parse(Palette[2]),
        };
        for (var i = 0; i < accuracy.Count; i++) line.Points.Add(accuracy[i] is { } pct ? new DataPoint(i, pct) : DataPoint.Undefined);
        model.Series.Add(line);
        return Svg(model);
    }

    private static PlotModel ColumnChart(IReadOnlyList<string> categories, string unit, Func<double, string> format, bool wholeNumbers = true)
    {
        var model = Model();
        var axis = new CategoryAxis { Position = AxisPosition.Bottom, Key = CategoryAxisKey, Angle = categories.Count > 12 ? -45 : 0, GapWidth = 0.3 };
        axis.Labels.AddRange(categories);
        model.Axes.Add(axis);
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Left,
            Key = ValueAxis,
            Minimum = 0,
            MinimumRange = 1e-9,
            // Counts step by whole numbers: no tick at 0.2 events.
            MinimumMajorStep = wholeNumbers ? 1 : 0,
            Title = unit,
            LabelFormatter = format,
            MinorTickSize = 0,
            MajorGridlineStyle = LineStyle.Solid,
            MajorGridlineColor = OxyColor.FromRgb(230, 230, 230),
        });
        return model;
    }

    /// <summary>A chart of counts that are all 0 reads from 0 to 1 (by itself OxyPlot would centre an empty range on 0).</summary>
    private static PlotModel WithRoomWhenEmpty(PlotModel model, IEnumerable<long> counts)
    {
        if (counts.All(count => count == 0)) model.Axes.Single(a => a.Key == ValueAxis).Maximum = 1;
        return model;
    }

    private static PlotModel Model() => new()
    {
        DefaultFont = "Helvetica, Arial, sans-serif",
        DefaultFontSize = 11,
        PlotAreaBorderThickness = new OxyThickness(0, 0, 0, 1),
        Padding = new OxyThickness(4, 12, 12, 4),
        IsLegendVisible = false,
    };

    private static BarSeries Columns(string title, string colour, bool stacked) => new()
    {
        Title = title,
        IsStacked = stacked,
        FillColor = OxyColor.Parse(colour),
        StrokeThickness = 0,
        // Vertical columns: the series' category axis is the one at the bottom.
        XAxisKey = ValueAxis,
        YAxisKey = CategoryAxisKey,
    };

    private static string Svg(PlotModel model)
    {
        var svg = SvgExporter.ExportToString(model, Width, Height, isDocument: false);
        // Inline in HTML the XML declaration means nothing; the markup starts at <svg.
        return svg[svg.IndexOf("<svg", StringComparison.Ordinal)..];
    }

    /// <summary>Dollars for an axis: $0.012, $1.50, $1.2k.</summary>
    public static string Money(double value) => value switch
    {
        >= 1000 => "$" + (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 1 => "$" + value.ToString("0.##", CultureInfo.InvariantCulture),
        0 => "$0",
        _ => "$" + value.ToString("0.####", CultureInfo.InvariantCulture),
    };

    /// <summary>A count for an axis: 950, 12k, 3.4M.</summary>
    public static string Count(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.#", CultureInfo.InvariantCulture),
    };
}
