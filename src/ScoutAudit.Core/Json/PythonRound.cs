using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// Python's <c>round(x, n)</c>: half-to-even on the exact binary value of <c>x</c> (so
/// <c>round(2.675, 2)</c> is 2.67, because 2.675 is really 2.67499999...), unlike
/// <see cref="Math.Round(double, int)"/>, which scales first and can land the other way.
/// </summary>
internal static class PythonRound
{
    public static double ToDigits(double value, int digits)
    {
        if (!double.IsFinite(value)) return value;
        // .NET prints the exact binary value to any precision; 40 places decide every case that
        // is not an exact tie, and exact ties (such as 0.125) are printed exactly.
        var exact = value.ToString("F40", CultureInfo.InvariantCulture);
        var point = exact.IndexOf('.');
        var kept = exact[..(point + 1 + digits)];
        var rest = exact[(point + 1 + digits)..];
        var roundUp = rest[0] > '5' || (rest[0] == '5' && (rest.AsSpan(1).IndexOfAnyExcept('0') >= 0 || IsOdd(kept[^1])));
        var result = decimal.Parse(kept, CultureInfo.InvariantCulture);
        if (roundUp) result += (value < 0 ? -1m : 1m) / Pow10(digits);
        return (double)result;
    }

    private static bool IsOdd(char digit) => (digit - '0') % 2 == 1;

    private static decimal Pow10(int digits)
    {
        var p = 1m;
        for (var i = 0; i < digits; i++) p *= 10;
        return p;
    }
}
