using System.Globalization;

namespace ScoutAudit;

/// <summary>
/// How the module's views show numbers: as the log writes them, in the invariant culture (a cost
/// reads 0.000003 in every culture, in tables and lists alike), in plain decimals rather than
/// exponent form. Called from ScoutAudit.format.ps1xml.
/// </summary>
public static class NumberText
{
    /// <summary>A cost or other number in full, such as 0.000003 or 12.5; empty for none.</summary>
    public static string Full(double? value) => value is { } v ? Plain(v) : "";

    /// <summary>A decimal sum in full, such as 0.000003 or 12.5, without trailing zeros.</summary>
    public static string Full(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>
    /// A number in at most <paramref name="width"/> characters, for a right-aligned table column:
    /// in full when it fits, else rounded to the decimals that fit (its leading digits are never
    /// cut, as PowerShell cuts a value too wide for its column), else in exponent form.
    /// </summary>
    public static string Fit(double? value, int width) => value is { } v ? Fit(Plain(v), v, width) : "";

    /// <inheritdoc cref="Fit(double?, int)"/>
    public static string Fit(decimal value, int width) => Fit(Full(value), (double)value, width);

    private static string Fit(string full, double value, int width)
    {
        if (full.Length <= width) return full;
        var point = full.IndexOf('.');
        var whole = point < 0 ? full.Length : point;
        // Rounded to the decimals that fit, when that keeps a digit other than 0.
        if (whole + 2 <= width && Math.Abs(value) >= Math.Pow(10, -(width - whole - 1)))
        {
            var rounded = Math.Round(value, width - whole - 1, MidpointRounding.AwayFromZero);
            var text = Plain(rounded);
            if (text.Length <= width) return text;
        }
        for (var digits = Math.Max(width - 5, 1); digits >= 1; digits--)
        {
            var text = value.ToString("0." + new string('#', digits) + "E+0", CultureInfo.InvariantCulture);
            if (text.Length <= width) return text;
        }
        return value.ToString("0E+0", CultureInfo.InvariantCulture);
    }

    /// <summary>Plain decimal digits (the double's shortest round-trip form, without an exponent).</summary>
    private static string Plain(double value)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        if (!shortest.Contains('E')) return shortest;
        // 3E-06 as 0.000003: decimal holds every cost a log can carry below 7.9e28 exactly enough to show.
        return Math.Abs(value) < 7.9e28 && (decimal)value is var d && (d != 0 || value == 0)
            ? Full(d)
            : shortest;
    }
}
