using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Numerics;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Turns PowerShell objects into the plain graph (dictionaries, lists, scalars) that PowerShell 7.4's ConvertTo-Json
/// hands to Newtonsoft.Json, then serializes it with the same settings, so the text is PowerShell's byte for byte.
/// </summary>
/// <remarks>
/// The rules, from PowerShell's JsonObject.ConvertToJson: scalars (strings, numbers, booleans, dates, GUIDs, URIs)
/// as they are; enums as numbers (64-bit ones as names); dictionaries with string keys as objects; other collections
/// as arrays; any other object as its public fields and properties plus its extended properties (notes, aliases,
/// script properties). Past -Depth, an object is replaced by its string form and one warning is written.
/// </remarks>
internal sealed class JsonGraph
{
    private readonly int _maxDepth;
    private readonly Action<string> _warn;
    private readonly CancellationToken _cancellation;
    private bool _warned;

    private JsonGraph(int maxDepth, Action<string> warn, CancellationToken cancellation)
    {
        _maxDepth = maxDepth;
        _warn = warn;
        _cancellation = cancellation;
    }

    /// <summary>Converts <paramref name="value"/> to JSON text as ConvertTo-Json does.</summary>
    /// <exception cref="InvalidOperationException">A dictionary has a key that is not a string.</exception>
    /// <exception cref="OperationCanceledException">The pipeline was stopped.</exception>
    public static string Serialize(
        object? value, int maxDepth, bool compress, bool enumsAsStrings, StringEscapeHandling escapeHandling,
        Action<string> warn, CancellationToken cancellation)
    {
        var graph = new JsonGraph(maxDepth, warn, cancellation).Process(value, 0);
        var settings = new JsonSerializerSettings
        {
            TypeNameHandling = TypeNameHandling.None,
            MaxDepth = 1024,
            StringEscapeHandling = escapeHandling,
            Formatting = compress ? Formatting.None : Formatting.Indented,
        };

        if (enumsAsStrings)
        {
            settings.Converters.Add(new StringEnumConverter());
        }

        return JsonConvert.SerializeObject(graph, settings);
    }

    private object? Process(object? value, int depth)
    {
        _cancellation.ThrowIfCancellationRequested();
        if (PSValue.IsNull(value))
        {
            return null;
        }

        var pso = value as PSObject;
        object obj = pso is null ? value! : pso.BaseObject;
        object? result;
        bool custom = false;

        if (obj == NullString.Value || obj == DBNull.Value)
        {
            result = null;
        }
        else if (obj is string or char or bool or DateTime or DateTimeOffset or Guid or Uri or double or float or decimal or BigInteger)
        {
            result = obj;
        }
        else if (obj is JObject json)
        {
            result = json.ToObject<Dictionary<object, object>>();
        }
        else if (obj.GetType().IsPrimitive)
        {
            result = obj;
        }
        else if (obj.GetType().IsEnum)
        {
            // JavaScript numbers cannot hold every 64-bit value, so 64-bit enums are written by name.
            var underlying = Enum.GetUnderlyingType(obj.GetType());
            result = underlying == typeof(long) || underlying == typeof(ulong) ? obj.ToString() : obj;
        }
        else if (depth > _maxDepth)
        {
            if (!_warned)
            {
                _warned = true;
                _warn($"Resulting JSON is truncated as serialization has exceeded the set depth of {_maxDepth}.");
            }

            // A custom object becomes "@{a=1; b=2}"; anything else its PowerShell string form.
            object source = pso is not null && pso.ImmediateBaseObject is PSCustomObject ? pso : obj;
            return LanguagePrimitives.ConvertTo(source, typeof(string), CultureInfo.InvariantCulture);
        }
        else if (obj is IDictionary dictionary)
        {
            result = ProcessDictionary(dictionary, depth);
        }
        else if (obj is IEnumerable items)
        {
            var list = new List<object?>();
            foreach (object? item in items)
            {
                list.Add(Process(item, depth + 1));
            }

            result = list;
        }
        else
        {
            result = ProcessCustomObject(obj, depth);
            custom = true;
        }

        return pso is null ? result : WithExtendedProperties(pso, result, depth, custom);
    }

    private Dictionary<string, object?> ProcessDictionary(IDictionary dictionary, int depth)
    {
        var result = new Dictionary<string, object?>(dictionary.Count);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string name)
            {
                throw new InvalidOperationException(
                    $"The type '{dictionary.GetType().FullName}' is not supported for serialization or deserialization of a dictionary. Keys must be strings.");
            }

            result.Add(name, Process(entry.Value, depth + 1));
        }

        return result;
    }

    // Public fields, then public readable properties, each evaluated safely (a getter that throws gives null).
    private Dictionary<string, object?> ProcessCustomObject(object obj, int depth)
    {
        var result = new Dictionary<string, object?>();
        var type = obj.GetType();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!field.IsDefined(typeof(JsonIgnoreAttribute), true))
            {
                result.TryAdd(field.Name, Process(Evaluate(() => field.GetValue(obj)), depth + 1));
            }
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.IsDefined(typeof(JsonIgnoreAttribute), true) && property.GetGetMethod() is { } getter && getter.GetParameters().Length == 0)
            {
                result.TryAdd(property.Name, Process(Evaluate(() => getter.Invoke(obj, [])), depth + 1));
            }
        }

        return result;
    }

    // Properties added through PowerShell (notes, aliases, script and code properties) travel with the value; for a
    // plain object the adapted .NET properties count too (they are already in the dictionary by name).
    private object? WithExtendedProperties(PSObject pso, object? processed, int depth, bool custom)
    {
        if (pso.BaseObject is string or DateTime)
        {
            return processed;
        }

        bool wasDictionary = processed is IDictionary;
        var receiver = processed as IDictionary ?? new Dictionary<string, object?> { ["value"] = processed };
        foreach (var property in pso.Properties)
        {
            bool extended = property.MemberType is PSMemberTypes.NoteProperty or PSMemberTypes.AliasProperty
                or PSMemberTypes.ScriptProperty or PSMemberTypes.CodeProperty;
            bool adapted = property.MemberType == PSMemberTypes.Property;
            if (!(extended || (custom && adapted)) || receiver.Contains(property.Name))
            {
                continue;
            }

            receiver[property.Name] = Process(Evaluate(() => property.Value), depth + 1);
        }

        return !wasDictionary && receiver.Count == 1 ? processed : receiver;
    }

    private static object? Evaluate(Func<object?> getter)
    {
        try
        {
            return getter();
        }
#pragma warning disable CA1031 // Any failing getter serializes as null, as in PowerShell.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
