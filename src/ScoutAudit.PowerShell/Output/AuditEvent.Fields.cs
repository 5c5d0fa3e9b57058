using System.Collections;
using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using ScoutAudit.Core;
using ScoutAudit.PowerShell;

namespace ScoutAudit;

public sealed partial class AuditEvent
{
    private InvalidFieldTable? _invalidFields;
    private ExtraFieldTable? _extraFields;

    /// <summary>
    /// The fields of the line that have the wrong JSON type for their name (<c>"cost": "0.5"</c>,
    /// <c>"files": "a.py"</c>, <c>"output_t": 3.7</c>, Python's <c>NaN</c>), by exact name in line order,
    /// each with its JSON text as the line holds it (<c>$e.InvalidFields.cost</c> is <c>"0.5"</c>, quotes
    /// included; pipe it to ConvertFrom-Json for the value). The standard property of such a field is
    /// null and sums leave it out. Null when the event has none, so <c>Where-Object InvalidFields</c>
    /// finds the events that have some.
    /// </summary>
    public IDictionary? InvalidFields
    {
        get
        {
            if (_event.InvalidFields.Count == 0) return null;
            if (_invalidFields is null)
            {
                var table = new InvalidFieldTable();
                foreach (var invalid in _event.InvalidFields) table[InertText.Of(invalid.Name)] = InertText.Of(invalid.Json);
                _invalidFields = table;
            }
            return _invalidFields;
        }
    }

    /// <summary>
    /// Every extra field by its exact name (names compare case-sensitively, as JSON keys do), in line
    /// order, with its value as ConvertFrom-Json would give it. Unlike the note properties, it holds
    /// the extra fields whose names PowerShell cannot tell from a standard property (<c>Cost</c>,
    /// <c>TS</c>, <c>Input_T</c>): <c>$e.ExtraFields['Cost']</c>. Empty when the event has none. It prints
    /// as the JSON object of those fields (<c>{"ticket": "T-1"}</c>), which is what Export-Csv writes and
    /// what Write-ScoutAuditEvent reads back from a piped record's ExtraFields.
    /// </summary>
    public IDictionary ExtraFields
    {
        get
        {
            if (_extraFields is null)
            {
                var table = new ExtraFieldTable(_event.Extras);
                foreach (var (name, value) in _event.Extras) table[InertText.Of(name)] = PSJson.ToPSValue(value);
                _extraFields = table;
            }
            return _extraFields;
        }
    }

    /// <summary>Extra fields by exact name; printed as their JSON object in the line's form, nothing when there are none.</summary>
    private sealed class ExtraFieldTable(IReadOnlyList<KeyValuePair<string, JsonElement>> fields) : OrderedDictionary(StringComparer.Ordinal)
    {
        public override string ToString()
        {
            if (fields.Count == 0) return "";
            var text = new StringBuilder("{");
            foreach (var (name, value) in fields)
            {
                if (text.Length > 1) text.Append(", ");
                text.Append(JsonValues.Format(JsonValues.From(name, name), name)).Append(": ").Append(JsonValues.Format(value, name));
            }
            return text.Append('}').ToString();
        }
    }

    /// <summary>Invalid fields by exact name; shown in tables and CSV as <c>name=json</c> pairs.</summary>
    private sealed class InvalidFieldTable() : OrderedDictionary(StringComparer.Ordinal)
    {
        public override string ToString() =>
            string.Join("; ", this.Cast<DictionaryEntry>().Select(entry => $"{entry.Key}={entry.Value}"));
    }
}
