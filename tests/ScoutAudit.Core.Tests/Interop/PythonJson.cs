using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// Equality of JSON values as Python sees what <c>json.loads</c> made of them, and stricter where the
/// bytes on disk depend on it: an int is not a float (<c>0</c> vs <c>0.0</c>), and key order counts.
/// <see cref="JsonElement.DeepEquals"/> is looser on both, so it is not used.
/// </summary>
internal static class PythonJson
{
    public static bool Same(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind) return false;
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToList();
                var right = b.EnumerateObject().ToList();
                return left.Count == right.Count &&
                       left.Zip(right).All(pair => pair.First.Name == pair.Second.Name && Same(pair.First.Value, pair.Second.Value));
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() &&
                       a.EnumerateArray().Zip(b.EnumerateArray()).All(pair => Same(pair.First, pair.Second));
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Number:
                var rawA = a.GetRawText();
                var rawB = b.GetRawText();
                if (IsInteger(rawA) != IsInteger(rawB)) return false;
                return IsInteger(rawA)
                    ? BigInteger.Parse(rawA, CultureInfo.InvariantCulture) == BigInteger.Parse(rawB, CultureInfo.InvariantCulture)
                    : BitConverter.DoubleToInt64Bits(a.GetDouble()) == BitConverter.DoubleToInt64Bits(b.GetDouble());
            default:
                return true; // true, false, null: the kind is the value
        }
    }

    public static bool IsInteger(string raw) => raw.IndexOfAny(['.', 'e', 'E']) < 0;

    public static void AssertSame(JsonElement expected, JsonElement actual, string what) =>
        Assert.True(Same(expected, actual), $"{what}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
}
