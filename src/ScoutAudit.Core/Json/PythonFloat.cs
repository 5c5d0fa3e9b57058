using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// Python's <c>repr(float)</c>, which <c>json.dumps</c> uses: the shortest digits that round-trip
/// (as .NET's "R"), laid out as Python does: positional when the decimal exponent is in
/// [-4, 16), otherwise <c>d.ddde±XX</c>; integral values keep a <c>.0</c>
/// (<c>3e-06</c>, <c>0.0001</c>, <c>1e+16</c>, <c>1234567890123456.0</c>, <c>0.30000000000000004</c>).
/// Python's own algorithm is CPython's <c>float_repr_style = 'short'</c>; no .NET library offers it.
/// </summary>
public static class PythonFloat
{
    /// <summary>Longest text this writes (sign, 17 digits, point, exponent), with room to spare.</summary>
    public const int MaxLength = 32;

    /// <summary>Formats a finite double as Python's repr into <paramref name="destination"/> (ASCII bytes).</summary>
    public static int Write(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "Infinity and NaN have no JSON form.");

        // .NET gives the shortest round-trip digits as "[-]d[.ddd][E±x]"; take them apart.
        Span<char> text = stackalloc char[MaxLength];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        text = text[..length];

        // Digits d1..dn without leading or trailing zeros, and the decimal point's place such that
        // value = 0.d1..dn * 10^decimalPoint, as CPython's dtoa reports them. Leading zeros
        // ("0.000123...") are counted, not stored: .NET writes such values positionally.
        Span<byte> digits = stackalloc byte[MaxLength];
        var digitCount = 0;
        var leadingZeros = 0;
        var pointAt = -1;
        var exponent = 0;
        var negative = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '-') negative = true;
            else if (c == '.') pointAt = leadingZeros + digitCount;
            else if (c == 'E')
            {
                exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else if (c == '0' && digitCount == 0) leadingZeros++;
            else digits[digitCount++] = (byte)c;
        }
        if (pointAt < 0) pointAt = leadingZeros + digitCount;
        if (digitCount == 0)
        {
            var zero = 0;
            if (negative) destination[zero++] = (byte)'-';
            "0.0"u8.CopyTo(destination[zero..]);
            return zero + 3;
        }
        var end = digitCount;
        while (end > 1 && digits[end - 1] == '0') end--;
        var significant = digits[..end];
        var decimalPoint = pointAt - leadingZeros + exponent;

        var at = 0;
        if (negative) destination[at++] = (byte)'-';

        if (decimalPoint is > -4 and <= 16)
        {
            if (decimalPoint <= 0)
            {
                destination[at++] = (byte)'0';
                destination[at++] = (byte)'.';
                for (var i = decimalPoint; i < 0; i++) destination[at++] = (byte)'0';
                significant.CopyTo(destination[at..]);
                return at + significant.Length;
            }
            if (decimalPoint >= significant.Length)
            {
                significant.CopyTo(destination[at..]);
                at += significant.Length;
                for (var i = significant.Length; i < decimalPoint; i++) destination[at++] = (byte)'0';
                destination[at++] = (byte)'.';
                destination[at++] = (byte)'0';
                return at;
            }
            significant[..decimalPoint].CopyTo(destination[at..]);
            at += decimalPoint;
            destination[at++] = (byte)'.';
            significant[decimalPoint..].CopyTo(destination[at..]);
            return at + significant.Length - decimalPoint;
        }

        destination[at++] = significant[0];
        if (significant.Length > 1)
        {
            destination[at++] = (byte)'.';
            significant[1..].CopyTo(destination[at..]);
            at += significant.Length - 1;
        }
        destination[at++] = (byte)'e';
        var power = decimalPoint - 1;
        destination[at++] = power < 0 ? (byte)'-' : (byte)'+';
        power = Math.Abs(power);
        if (power >= 100) destination[at++] = (byte)('0' + power / 100);
        destination[at++] = (byte)('0' + power / 10 % 10);
        destination[at++] = (byte)('0' + power % 10);
        return at;
    }

    /// <summary>Python's repr of <paramref name="value"/> as a string.</summary>
    public static string Format(double value)
    {
        Span<byte> bytes = stackalloc byte[MaxLength];
        var length = Write(value, bytes);
        return System.Text.Encoding.ASCII.GetString(bytes[..length]);
    }
}
