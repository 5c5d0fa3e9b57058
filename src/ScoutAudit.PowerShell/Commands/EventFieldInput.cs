using System.Management.Automation;
using System.Text.Json;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// What Write-ScoutAuditEvent makes of the PowerShell values given for an event's fields: -Config and
/// -Property as JSON (a hashtable, an ordered dictionary, a custom object, or the text of a JSON
/// object, as a CSV cell holds it), and a piped record's time.
/// </summary>
internal static class EventFieldInput
{
    public static JsonElement ConfigFrom(object config)
    {
        if (PSInput.Adapt(config) is not string json) return JsonValues.ObjectFrom(config, StandardFields.Config, PSInput.Adapter());
        // A JSON text, as a CSV column or a saved snapshot holds it.
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonValues.ObjectFrom(document.RootElement.Clone(), StandardFields.Config);
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"-Config is a string that is not JSON ({error.Message}); give a hashtable, a custom object or the text of a JSON object.", StandardFields.Config, error);
        }
    }

    public static List<KeyValuePair<string, JsonElement>> ExtraFields(object property)
    {
        var fields = new List<KeyValuePair<string, JsonElement>>();
        if (PSInput.Adapt(property) is string json) return JsonObjectFields(json);
        foreach (var (key, value) in PSInput.Fields(property))
        {
            var name = PSInput.Adapt(key) as string
                ?? throw new ArgumentException($"-Property has a key of type {key.GetType().FullName} ({key}); field names must be strings.", key.ToString());
            EventFieldRules.ExtraFieldName(name);
            fields.Add(new(name, JsonValues.From(value, name, PSInput.Adapter())));
        }
        return fields;
    }

    /// <summary>
    /// <paramref name="fields"/> then <paramref name="given"/>, a given field replacing an earlier one of
    /// its name, and going last: the name is looked up in a set, so the merge is linear in the fields.
    /// </summary>
    public static List<KeyValuePair<string, JsonElement>> Merge(List<KeyValuePair<string, JsonElement>> fields, List<KeyValuePair<string, JsonElement>> given)
    {
        if (fields.Count == 0 && given.Count == 0) return given;
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new List<KeyValuePair<string, JsonElement>>(fields.Count + given.Count);
        all.AddRange(fields);
        all.AddRange(given);
        for (var i = 0; i < all.Count; i++) last[all[i].Key] = i;
        var merged = new List<KeyValuePair<string, JsonElement>>(last.Count);
        for (var i = 0; i < all.Count; i++)
        {
            if (last[all[i].Key] == i) merged.Add(all[i]);
        }
        return merged;
    }

    /// <summary>
    /// The time of a piped record: its ts (the line's exact form) or else its Timestamp, as -Timestamp
    /// reads it. Null when there is no record or it has neither.
    /// </summary>
    public static DateTimeOffset? PipedTimestamp(PSObject? record)
    {
        if (record is null || record.BaseObject is System.Collections.IDictionary) return null;
        return InvariantInstant.ToDateTimeOffset(record.Properties[StandardFields.Timestamp]?.Value)
            ?? InvariantInstant.ToDateTimeOffset(record.Properties[nameof(WriteScoutAuditEventCommand.Timestamp)]?.Value);
    }

    /// <summary>The fields of a JSON object text, as a CSV cell of ExtraFields holds them.</summary>
    private static List<KeyValuePair<string, JsonElement>> JsonObjectFields(string json)
    {
        JsonElement fields;
        try
        {
            using var document = JsonDocument.Parse(json);
            fields = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"-Property is a string that is not JSON ({error.Message}); give a hashtable, a custom object or the text of a JSON object.", nameof(WriteScoutAuditEventCommand.Property), error);
        }
        if (fields.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"-Property is JSON text of a {fields.ValueKind.ToString().ToLowerInvariant()}; it must be a JSON object of extra fields.", nameof(WriteScoutAuditEventCommand.Property));
        return fields.EnumerateObject().Select(field => new KeyValuePair<string, JsonElement>(EventFieldRules.ExtraFieldName(field.Name), field.Value)).ToList();
    }
}
