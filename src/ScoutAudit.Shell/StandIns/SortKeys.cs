using System.Globalization;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace ScoutAudit.Shell.StandIns;

/// <summary>One key value of an input object; a property the object does not have is not the same as one that is null.</summary>
internal readonly record struct KeyValue(object? Value, bool Exists)
{
    public static readonly KeyValue Missing = new(null, false);
}

/// <summary>An input object with the values of its sort or group keys and its position in the input.</summary>
internal sealed class KeyedObject(PSObject input, List<KeyValue> values, int index, bool comparable)
{
    public PSObject Input { get; } = input;

    public List<KeyValue> Values { get; } = values;

    public int Index { get; } = index;

    /// <summary>False when none of the keys resolved on this object: such objects go last, in input order.</summary>
    public bool Comparable { get; } = comparable;
}

/// <summary>
/// The keys of Sort-Object and Group-Object, evaluated per object as PowerShell does: no key means the object itself,
/// a key that does not resolve is "missing" (sorted after every present value, whatever the direction), and a key
/// whose evaluation throws counts as null and is reported as an error.
/// </summary>
internal sealed class SortKeys
{
    private readonly IReadOnlyList<PropertySpecification> _keys;

    private SortKeys(IReadOnlyList<PropertySpecification> keys)
    {
        _keys = keys;
    }

    public int Count => _keys.Count;

    /// <summary>
    /// The keys for <paramref name="property"/>, or for the DefaultKeyPropertySet of <paramref name="first"/> when no
    /// property is given. Wildcard names are expanded against <paramref name="objects"/>, one key per matching
    /// property name in alphabetical order.
    /// </summary>
    public static SortKeys Create(object[]? property, PSObject? first, IEnumerable<PSObject> objects, PropertySpecification.Keys allowed)
    {
        object[]? expressions = property ?? (first is null ? null : DefaultKeyPropertySet(first));
        if (expressions is null)
        {
            return new SortKeys([]);
        }

        var expanded = new List<PropertySpecification>();
        foreach (var key in PropertySpecification.Parse(expressions, allowed))
        {
            if (!key.Expression.HasWildCardCharacters)
            {
                expanded.Add(key);
                continue;
            }

            var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var o in objects)
            {
                foreach (var resolved in key.Expression.ResolveNames(o))
                {
                    names.Add(resolved.ToString());
                }
            }

            expanded.AddRange(names.Select(n => key.WithExpression(new PSPropertyExpression(n, isResolved: true))));
        }

        return new SortKeys(expanded);
    }

    /// <summary>Per key: true for ascending, from the key's own Ascending/Descending or else <paramref name="ascending"/>.</summary>
    public bool[] Directions(bool ascending) => _keys.Select(k => k.Ascending ?? ascending).ToArray();

    public KeyedObject Evaluate(PSObject input, int index, Cmdlet cmdlet)
    {
        if (_keys.Count == 0)
        {
            return new KeyedObject(input, [new KeyValue(input, true)], index, comparable: true);
        }

        var values = new List<KeyValue>(_keys.Count);
        bool comparable = false;
        foreach (var key in _keys)
        {
            // Aliases are not expanded and errors are captured, as Sort-Object does.
            var results = key.Expression.GetValues(input, false, true);
            if (results.Count == 0)
            {
                values.Add(KeyValue.Missing);
                cmdlet.WriteDebug($"The property \"{key.Expression}\" cannot be found on this object.");
                continue;
            }

            foreach (var result in results)
            {
                if (result.Exception is { } exception)
                {
                    cmdlet.WriteError(new ErrorRecord(exception, "ExpressionEvaluation", ErrorCategory.InvalidResult, input));
                    values.Add(new KeyValue(null, true));
                }
                else
                {
                    values.Add(new KeyValue(result.Result, true));
                }

                comparable = true;
            }
        }

        return new KeyedObject(input, values, index, comparable);
    }

    private static object[]? DefaultKeyPropertySet(PSObject first) =>
        first.Members["PSStandardMembers"] is PSMemberSet { Members: var standard } && standard["DefaultKeyPropertySet"] is PSPropertySet set
            ? set.ReferencedPropertyNames.Cast<object>().ToArray()
            : null;
}

/// <summary>Compares keyed objects key by key; a missing key sorts after any present one regardless of direction.</summary>
internal sealed class KeyedObjectComparer : IComparer<KeyedObject>
{
    private readonly ObjectComparer[] _comparers;

    public KeyedObjectComparer(IReadOnlyList<bool> ascending, CultureInfo culture, bool caseSensitive)
    {
        _comparers = ascending.Select(a => new ObjectComparer(a, culture, caseSensitive)).ToArray();
    }

    /// <summary>A comparer wide enough for the longest key vector among <paramref name="entries"/>.</summary>
    public static KeyedObjectComparer For(IReadOnlyCollection<KeyedObject> entries, bool[] directions, bool ascending, CultureInfo culture, bool caseSensitive)
    {
        int width = entries.Count == 0 ? 0 : entries.Max(e => e.Values.Count);
        var perKey = Enumerable.Range(0, width).Select(k => k < directions.Length ? directions[k] : ascending).ToArray();
        return new KeyedObjectComparer(perKey, culture, caseSensitive);
    }

    public int Compare(KeyedObject? x, KeyedObject? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        for (int k = 0; k < _comparers.Length; k++)
        {
            var first = k < x.Values.Count ? x.Values[k] : KeyValue.Missing;
            var second = k < y.Values.Count ? y.Values[k] : KeyValue.Missing;
            int order = (first.Exists, second.Exists) switch
            {
                (true, true) => _comparers[k].Compare(first.Value, second.Value),
                (true, false) => -1,
                (false, true) => 1,
                _ => 0,
            };

            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }
}

/// <summary>
/// The stable order Sort-Object -Stable produces: objects whose keys all failed to resolve last, then by key,
/// then by input position.
/// </summary>
internal sealed class StableKeyedObjectComparer(KeyedObjectComparer keys) : IComparer<KeyedObject>
{
    public int Compare(KeyedObject? x, KeyedObject? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Comparable != y.Comparable)
        {
            return x.Comparable ? -1 : 1;
        }

        int order = keys.Compare(x, y);
        return order != 0 ? order : x.Index.CompareTo(y.Index);
    }
}
