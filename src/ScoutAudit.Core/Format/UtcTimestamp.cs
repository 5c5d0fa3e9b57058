using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// The <c>ts</c> field: UTC, ISO 8601, milliseconds and <c>Z</c> (<c>2026-02-13T14:30:22.123Z</c>),
/// as Python's <c>isoformat(timespec="milliseconds")</c> with <c>+00:00</c> replaced by <c>Z</c>.
/// </summary>
public static class UtcTimestamp
{
    /// <summary>Length of a written timestamp in bytes.</summary>
    public const int Length = 24;

    /// <summary>The instant truncated (not rounded, as Python) to whole milliseconds, in UTC.</summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value)
    {
        var utc = value.UtcTicks;
        return new DateTimeOffset(utc - utc % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    /// <summary>Writes the timestamp's 24 ASCII bytes into <paramref name="destination"/>.</summary>
    public static void Write(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        Digits(destination[..4], t.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), t.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), t.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), t.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), t.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), t.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), t.Millisecond);
        destination[23] = (byte)'Z';
    }

    /// <summary>The timestamp as text.</summary>
    public static string Format(DateTimeOffset value)
    {
        Span<byte> bytes = stackalloc byte[Length];
        Write(value, bytes);
        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    /// <summary>
    /// Reads a timestamp. The written form is parsed directly; any other ISO 8601 form is accepted
    /// too (an offset, microseconds, no fraction); a time without offset is UTC, as the original reads it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        if (text.Length == Length && TryParseWrittenForm(text, out value))
            return true;
        Span<char> chars = stackalloc char[Math.Min(text.Length, 64)];
        if (text.Length > 64)
        {
            value = default;
            return false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7F)
            {
                value = default;
                return false;
            }
            chars[i] = (char)text[i];
        }
        return DateTimeOffset.TryParse(chars, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static bool TryParseWrittenForm(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z')
            return false;
        if (!Number(s[..4], out var year) || !Number(s.Slice(5, 2), out var month) || !Number(s.Slice(8, 2), out var day) ||
            !Number(s.Slice(11, 2), out var hour) || !Number(s.Slice(14, 2), out var minute) ||
            !Number(s.Slice(17, 2), out var second) || !Number(s.Slice(20, 3), out var millisecond))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59)
            return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var d = b - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
