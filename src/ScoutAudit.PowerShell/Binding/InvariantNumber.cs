using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text.RegularExpressions;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Reads a number for an event field so that it means the same in every culture, or refuses it
/// with a message that says why. PowerShell's own conversion is not used: from the pipeline a
/// compiled cmdlet's binder skips a value it cannot convert without a word (a CSV cell "$0.50"
/// vanishes), and it reads "0,5" as 5 and "1.000" as 1 where a German user meant a half and a
/// thousand. Text is digits with a dot for decimals, as in JSON and CSV exports; an empty or
/// blank text is "not given" (Import-Csv's empty cell), never 0.
/// </summary>
internal static partial class InvariantNumber
{
    /// <summary>A number for a field such as Cost: a double, or null when not given.</summary>
    public static double? ToDouble(object? input)
    {
        switch (Unwrap(input))
        {
            case null:
                return null;
            case string text:
                if (string.IsNullOrWhiteSpace(text)) return null;
                if (!DecimalText().IsMatch(text))
                    throw Refused($"'{text}' is not a number in a form that reads the same in every culture; write digits with a dot for decimals and no thousands separators or currency, such as 0.5 or 1234.5.");
                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            case double value:
                return value;
            case float value:
                // Through its shortest text, so 0.1f is 0.1 and not 0.100000001490116.
                return double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case decimal value:
                return (double)value;
            case var value when IsInteger(value, out var whole):
                return (double)whole;
            case var other:
                throw Refused($"A number is expected; got {Describe(other)}.");
        }
    }

    /// <summary>A whole number for a field such as InputTokens: a long, or null when not given.</summary>
    public static long? ToInt64(object? input)
    {
        switch (Unwrap(input))
        {
            case null:
                return null;
            case string text:
                if (string.IsNullOrWhiteSpace(text)) return null;
                if (!WholeText().IsMatch(text))
                    throw Refused($"'{text}' is not a whole number; write digits only, without separators or decimals, such as 1200.");
                return long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw Refused($"{text.Trim()} is too large; the largest whole number is {long.MaxValue}.");
            case var value when IsInteger(value, out var whole):
                return whole >= long.MinValue && whole <= long.MaxValue
                    ? (long)whole
                    : throw Refused($"{whole} is too large; the largest whole number is {long.MaxValue}.");
            case decimal value:
                return decimal.Truncate(value) == value && value >= long.MinValue && value <= long.MaxValue
                    ? (long)value
                    : throw Refused($"{value.ToString(CultureInfo.InvariantCulture)} is not a whole number within {long.MinValue} to {long.MaxValue}.");
            case double or float:
                var number = Convert.ToDouble(Unwrap(input), CultureInfo.InvariantCulture);
                // 2^63 itself is out of range; every double below it that is whole converts exactly.
                return double.IsInteger(number) && number >= long.MinValue && number < 9223372036854775808d
                    ? (long)number
                    : throw Refused($"{number.ToString("R", CultureInfo.InvariantCulture)} is not a whole number within {long.MinValue} to {long.MaxValue}.");
            case var other:
                throw Refused($"A whole number is expected; got {Describe(other)}.");
        }
    }

    private static object? Unwrap(object? input) => input is PSObject wrapped ? wrapped.BaseObject : input;

    // Booleans are not numbers here: $true tokens is a mistake, not 1.
    private static bool IsInteger(object value, out BigInteger whole)
    {
        switch (value)
        {
            case int v: whole = v; return true;
            case long v: whole = v; return true;
            case short v: whole = v; return true;
            case byte v: whole = v; return true;
            case sbyte v: whole = v; return true;
            case ushort v: whole = v; return true;
            case uint v: whole = v; return true;
            case ulong v: whole = v; return true;
            case BigInteger v: whole = v; return true;
            default: whole = default; return false;
        }
    }

    private static string Describe(object value) =>
        $"{(value is string ? "the text" : "a " + value.GetType().FullName)} '{Convert.ToString(value, CultureInfo.InvariantCulture)}'";

    private static ArgumentTransformationMetadataException Refused(string message) => new(message);

    [GeneratedRegex(@"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalText();

    [GeneratedRegex(@"^\s*[+-]?\d+\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeText();
}
