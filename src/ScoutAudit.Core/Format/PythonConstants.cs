namespace ScoutAudit.Core;

/// <summary>
/// The tokens <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, which Python's <c>json.dumps</c> writes
/// for non-finite floats and its <c>json.loads</c> reads back, though JSON has no such values and
/// System.Text.Json refuses them. A line holding them is read by masking each one with a number of
/// the same length (<c>0</c> padded with spaces), so every offset stays that of the line, and the
/// field whose value held one is then kept as an <see cref="InvalidField"/> with the line's own text.
/// </summary>
internal static class PythonConstants
{
    /// <summary>
    /// A copy of <paramref name="line"/> with every Python constant in a value position masked, and
    /// where they were; false (and nothing allocated) when the line has none.
    /// </summary>
    public static bool TryMask(ReadOnlySpan<byte> line, out byte[] masked, out List<Range> masks)
    {
        masked = [];
        masks = [];
        var inString = false;
        byte previous = 0; // the last byte outside strings that is not whitespace
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (inString)
            {
                if (b == (byte)'\\') i++;
                else if (b == (byte)'"')
                {
                    inString = false;
                    previous = b;
                }
                continue;
            }
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            if (b == (byte)'"')
            {
                inString = true;
                continue;
            }
            // Python reads these only where a value starts: after ':', '[' or ','.
            if (previous is (byte)':' or (byte)'[' or (byte)',' && ConstantAt(line[i..]) is var length and > 0)
            {
                if (masks.Count == 0) masked = line.ToArray();
                masked[i] = (byte)'0';
                masked.AsSpan(i + 1, length - 1).Fill((byte)' ');
                masks.Add(new Range(i, i + length));
                i += length - 1;
                b = (byte)'0';
            }
            previous = b;
        }
        return masks.Count > 0;
    }

    /// <summary>Whether a masked constant lies within the bytes [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static bool AnyWithin(List<Range> masks, long start, long end)
    {
        foreach (var mask in masks)
        {
            if (mask.Start.Value < end && mask.End.Value > start) return true;
        }
        return false;
    }

    /// <summary>
    /// Where a value read up to <paramref name="end"/> ends in the line: a masked constant that is the
    /// value's last token reads as "0", so its end is the constant's.
    /// </summary>
    public static long EndOf(List<Range> masks, long end)
    {
        foreach (var mask in masks)
        {
            if (mask.Start.Value < end && mask.End.Value > end) return mask.End.Value;
        }
        return end;
    }

    private static int ConstantAt(ReadOnlySpan<byte> text) =>
        text.StartsWith("NaN"u8) ? 3
        : text.StartsWith("Infinity"u8) ? 8
        : text.StartsWith("-Infinity"u8) ? 9
        : 0;
}
