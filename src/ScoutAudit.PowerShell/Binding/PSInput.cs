using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
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
        var plain = value is PSObject wrapped
            ? wrapped.BaseObject is PSCustomObject ? PropertiesOf(wrapped) : wrapped.BaseObject
            : value;
        return AsText(plain) ?? plain;
    }

    /// <summary>
    /// Values that JSON has no type for but PowerShell users put in a config or an extra field, as
    /// text that means the same to every reader: a time in ISO 8601 with its offset (as ConvertTo-Json
    /// writes it), a GUID, an enum by its name, a URI as written. Null for every other value.
    /// </summary>
    private static string? AsText(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Utc } utc => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTime local => new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Local)).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        Guid guid => guid.ToString(),
        Enum name => name.ToString(),
        Uri uri => uri.OriginalString,
        _ => null,
    };

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
