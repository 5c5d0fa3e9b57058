using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text.Json;

namespace ScoutAudit.PowerShell;

/// <summary>
/// JSON values of a line as PowerShell shows them: what ConvertFrom-Json would give, every text (a
/// string, a member's name) inert (<see cref="InertText"/>), as it may reach a terminal as it is.
/// </summary>
internal static class PSJson
{
    public static object? ToPSValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => ToPSObject(value),
        JsonValueKind.Array => value.EnumerateArray().Select(ToPSValue).ToArray(),
        JsonValueKind.String => InertText.Of(value.GetString()),
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
        // Duplicate keys (PowerShell compares names ignoring case): the last wins and goes last, as
        // the reader (and Python) treats them. Settled first in a dictionary, so the object costs
        // linear work in its members, then added once each.
        var members = new List<JsonProperty?>();
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in value.EnumerateObject())
        {
            var name = InertText.Of(property.Name);
            if (positions.TryGetValue(name, out var earlier)) members[earlier] = null;
            positions[name] = members.Count;
            members.Add(property);
        }
        foreach (var member in members)
        {
            if (member is { } property) result.Properties.Add(new PSNoteProperty(InertText.Of(property.Name), ToPSValue(property.Value)));
        }
        return result;
    }
}
