using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text.Json;

namespace ScoutAudit.PowerShell;

/// <summary>JSON values of a line as PowerShell shows them: what ConvertFrom-Json would give.</summary>
internal static class PSJson
{
    public static object? ToPSValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => ToPSObject(value),
        JsonValueKind.Array => value.EnumerateArray().Select(ToPSValue).ToArray(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        // An integer beyond long, as ConvertFrom-Json gives it: exact, not rounded to a double.
        JsonValueKind.Number when value.GetRawText() is var digits && digits.AsSpan().IndexOfAny('.', 'e', 'E') < 0 => BigInteger.Parse(digits, CultureInfo.InvariantCulture),
        JsonValueKind.Number when value.TryGetDouble(out var real) && double.IsFinite(real) => real,
        JsonValueKind.Number => value.GetRawText(), // beyond double: the digits as written
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ToPSObject(JsonElement value)
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, JsonObjectText.TypeName);
        foreach (var property in value.EnumerateObject())
        {
            // Duplicate keys: the last wins, as the reader (and Python) treats them.
            if (result.Properties[property.Name] is not null) result.Properties.Remove(property.Name);
            result.Properties.Add(new PSNoteProperty(property.Name, ToPSValue(property.Value)));
        }
        return result;
    }
}
