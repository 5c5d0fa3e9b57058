using System.Collections;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// One entry of a <c>-Property</c> argument: a property name (wildcards allowed), a script block, or a calculated
/// property given as a hashtable such as <c>@{Name='Total'; Expression={ $_.Cost * 2 }}</c>.
/// </summary>
internal sealed class PropertySpecification
{
    private PropertySpecification(PSPropertyExpression expression, string? name, bool? ascending)
    {
        Expression = expression;
        Name = name;
        Ascending = ascending;
    }

    /// <summary>What to evaluate: the engine's own property-expression type, so names, wildcards and script blocks resolve as in PowerShell.</summary>
    public PSPropertyExpression Expression { get; }

    /// <summary>The Name (or Label) of a calculated property, when given.</summary>
    public string? Name { get; }

    /// <summary>Sort-Object's per-key direction from the Ascending/Descending keys, when given and not contradictory.</summary>
    public bool? Ascending { get; }

    /// <summary>The same specification evaluating <paramref name="expression"/> (a wildcard resolved to one name).</summary>
    public PropertySpecification WithExpression(PSPropertyExpression expression) => new(expression, Name, Ascending);

    /// <summary>Which hashtable keys a cmdlet accepts, as PowerShell's cmdlets do.</summary>
    [Flags]
    public enum Keys
    {
        Expression = 1,
        Name = 2,
        Ascending = 4,
        Descending = 8,
    }

    /// <summary>
    /// Parses <paramref name="items"/>. A hashtable key may be any unambiguous prefix of a key name, case-insensitive
    /// (<c>n</c>, <c>l</c>, <c>e</c>, <c>Expr</c>...), and <c>Label</c> is another name for <c>Name</c>, as in PowerShell.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is neither a name, a script block nor a valid hashtable.</exception>
    public static List<PropertySpecification> Parse(IEnumerable<object?> items, Keys allowed)
    {
        var result = new List<PropertySpecification>();
        foreach (object? raw in items)
        {
            object? item = raw is PSObject pso ? pso.BaseObject : raw;
            result.Add(item switch
            {
                string name => new PropertySpecification(new PSPropertyExpression(name), null, null),
                ScriptBlock script => new PropertySpecification(new PSPropertyExpression(script), null, null),
                IDictionary hashtable => FromHashtable(hashtable, allowed),
                null => throw new ArgumentException("A property cannot be null: give a name, a script block or a hashtable."),
                _ => throw new ArgumentException(
                    $"The property {item} of type {item.GetType().FullName} is not valid: give a name, a script block or a hashtable."),
            });
        }

        return result;
    }

    private static PropertySpecification FromHashtable(IDictionary hashtable, Keys allowed)
    {
        PSPropertyExpression? expression = null;
        string? name = null;
        bool? ascending = null;
        bool? descending = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (DictionaryEntry entry in hashtable)
        {
            if (PSValue.Base(entry.Key) is not string key || key.Length == 0)
            {
                throw new ArgumentException($"The key '{entry.Key}' is not valid: keys of a calculated property are names such as {Describe(allowed)}.");
            }

            string canonical = Match(key, allowed)
                ?? throw new ArgumentException($"The \"{key}\" key is not valid. Valid keys are {Describe(allowed)}.");
            string slot = canonical == "label" ? "name" : canonical;
            if (!seen.Add(slot))
            {
                throw new ArgumentException($"The \"{key}\" key is given more than once (Name and Label are the same key).");
            }

            object? value = PSValue.Base(entry.Value);
            switch (slot)
            {
                case "expression":
                    expression = value switch
                    {
                        string s => new PSPropertyExpression(s),
                        ScriptBlock sb => new PSPropertyExpression(sb),
                        _ => throw new ArgumentException($"The value of the \"{key}\" key must be a property name or a script block, not {value ?? "null"}."),
                    };
                    break;
                case "name":
                    name = value as string
                        ?? throw new ArgumentException($"The value of the \"{key}\" key must be a string, not {value ?? "null"}.");
                    break;
                case "ascending":
                    ascending = LanguagePrimitives.IsTrue(value);
                    break;
                case "descending":
                    descending = LanguagePrimitives.IsTrue(value);
                    break;
            }
        }

        if (expression is null)
        {
            throw new ArgumentException("The Expression key is missing: a calculated property needs @{Expression = <name or script block>}.");
        }

        // PowerShell ignores Ascending and Descending when they contradict each other (both true or both false).
        bool? direction = (ascending, descending) switch
        {
            (null, null) => null,
            ({ } a, { } d) when a == d => null,
            ({ } a, _) => a,
            (null, { } d) => !d,
        };

        return new PropertySpecification(expression, name, direction);
    }

    private static string? Match(string key, Keys allowed)
    {
        foreach (var (flag, names) in KeyNames)
        {
            if ((allowed & flag) == 0)
            {
                continue;
            }

            foreach (string candidate in names)
            {
                if (candidate.StartsWith(key, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string Describe(Keys allowed) =>
        string.Join(", ", KeyNames.Where(k => (allowed & k.Flag) != 0).SelectMany(k => k.Names).Select(n => char.ToUpperInvariant(n[0]) + n[1..]));

    private static readonly (Keys Flag, string[] Names)[] KeyNames =
    [
        (Keys.Name, ["name", "label"]),
        (Keys.Expression, ["expression"]),
        (Keys.Ascending, ["ascending"]),
        (Keys.Descending, ["descending"]),
    ];
}
