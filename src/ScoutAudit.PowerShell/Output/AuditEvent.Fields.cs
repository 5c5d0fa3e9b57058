using System.Collections;
using System.Collections.Specialized;
using ScoutAudit.PowerShell;

namespace ScoutAudit;

public sealed partial class AuditEvent
{
    private InvalidFieldTable? _invalidFields;
    private OrderedDictionary? _extraFields;

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
                foreach (var invalid in _event.InvalidFields) table[invalid.Name] = invalid.Json;
                _invalidFields = table;
            }
            return _invalidFields;
        }
    }

    /// <summary>
    /// Every extra field by its exact name (names compare case-sensitively, as JSON keys do), in line
    /// order, with its value as ConvertFrom-Json would give it. Unlike the note properties, it holds
    /// the extra fields whose names PowerShell cannot tell from a standard property (<c>Cost</c>,
    /// <c>TS</c>, <c>Input_T</c>): <c>$e.ExtraFields['Cost']</c>. Empty when the event has none.
    /// </summary>
    public IDictionary ExtraFields
    {
        get
        {
            if (_extraFields is null)
            {
                var table = new OrderedDictionary(StringComparer.Ordinal);
                foreach (var (name, value) in _event.Extras) table[name] = PSJson.ToPSValue(value);
                _extraFields = table;
            }
            return _extraFields;
        }
    }

    /// <summary>Invalid fields by exact name; shown in tables and CSV as <c>name=json</c> pairs.</summary>
    private sealed class InvalidFieldTable() : OrderedDictionary(StringComparer.Ordinal)
    {
        public override string ToString() =>
            string.Join("; ", this.Cast<DictionaryEntry>().Select(entry => $"{entry.Key}={entry.Value}"));
    }
}
