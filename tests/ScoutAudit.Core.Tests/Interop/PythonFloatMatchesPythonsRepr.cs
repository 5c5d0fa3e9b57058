using System.Globalization;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// PythonFloat gives Python's repr (what json.dumps writes for a float) for every double of
/// Fixtures/python_float_repr.tsv, made by python3: the switch between positional and exponent
/// notation at 1e-4 and 1e16, subnormals, the largest double, integers, negatives, random bits.
/// </summary>
public sealed class PythonFloatMatchesPythonsRepr
{
    [Fact]
    public void PythonFloatFormatsEveryDoubleAsPythonsRepr()
    {
        var lines = File.ReadAllLines(InteropFixtures.PathOf("python_float_repr.tsv"));
        Assert.True(lines.Length >= 3000, $"python_float_repr.tsv has {lines.Length} lines; regenerate.sh writes 3000.");

        var failures = new List<string>();
        foreach (var line in lines)
        {
            var (hex, repr) = line.Split('\t') is [var h, var r] ? (h, r) : throw new FormatException($"Not '<hex>\\t<repr>': {line}");
            var value = BitConverter.Int64BitsToDouble(long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            string formatted;
            try
            {
                formatted = PythonFloat.Format(value);
            }
            catch (Exception error)
            {
                formatted = $"throws {error.GetType().Name}: {error.Message}";
            }
            if (formatted != repr) failures.Add($"{hex}: Python {repr}, PythonFloat {formatted}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {lines.Length} doubles are not formatted as Python's repr:\n" + string.Join("\n", failures.Take(50)));
    }
}
