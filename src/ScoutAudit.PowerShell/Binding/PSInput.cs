using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Turns PowerShell's wrappers into the plain values Core's <see cref="Core.JsonValues"/> converts:
/// a PSObject becomes what it wraps, a PSCustomObject an ordered dictionary of its properties
/// (so <c>[pscustomobject]@{...}</c> and ConvertFrom-Json output work as -Config and -Property).
/// </summary>
internal static class PSInput
{
    /// <summary>The <c>adapt</c> hook for <see cref="Core.JsonValues.From"/>.</summary>
    public static object? Adapt(object value)
    {
        if (value is not PSObject wrapped) return value;
        return wrapped.BaseObject is PSCustomObject ? PropertiesOf(wrapped) : wrapped.BaseObject;
    }

    /// <summary>
    /// The <c>adapt</c> hook for one conversion: the same custom object always becomes the same
    /// dictionary, so that a custom object that contains itself is refused as the cycle it is.
    /// </summary>
    public static Func<object, object?> Adapter()
    {
        var adapted = new Dictionary<object, object?>(ReferenceEqualityComparer.Instance);
        return value =>
        {
            if (value is not PSObject { BaseObject: PSCustomObject } wrapped) return Adapt(value);
            if (!adapted.TryGetValue(wrapped, out var properties)) adapted[wrapped] = properties = PropertiesOf(wrapped);
            return properties;
        };
    }

    /// <summary>The fields of a -Property argument: a dictionary's entries or a PSCustomObject's properties.</summary>
    public static IEnumerable<KeyValuePair<object, object?>> Fields(object value)
    {
        switch (Adapt(value))
        {
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary) yield return new(entry.Key, entry.Value);
                break;
            case var other:
                throw new ArgumentException(
                    $"-Property must be a hashtable, an ordered dictionary or a custom object; got {other?.GetType().FullName ?? "null"}.", "Property");
        }
    }

    private static OrderedDictionary PropertiesOf(PSObject value)
    {
        var properties = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var property in value.Properties)
        {
            properties[property.Name] = property.Value;
        }
        return properties;
    }
}
