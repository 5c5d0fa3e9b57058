using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// A group from Group-Object, shaped like PowerShell's Microsoft.PowerShell.Commands.GroupInfo (same properties in
/// the same order). Its PSObject carries that type name first, so PowerShell's table view for groups applies.
/// </summary>
public sealed class GroupInfo
{
    internal const string PowerShellTypeName = "Microsoft.PowerShell.Commands.GroupInfo";

    private readonly List<KeyValue> _key;
    private readonly bool _noElement;

    internal GroupInfo(KeyedObject first, bool noElement)
    {
        _key = first.Values;
        _noElement = noElement;
        Name = BuildName(first.Values);
        First = first;
        Add(first.Input);
    }

    /// <summary>The key values of the group, one per grouping property.</summary>
    public ArrayList Values => new(_key.Select(k => k.Value).ToList());

    /// <summary>The number of objects in the group.</summary>
    public int Count { get; private set; }

    /// <summary>The objects in the group (empty with -NoElement).</summary>
    public Collection<PSObject> Group { get; } = [];

    /// <summary>The key values as text, separated by ", ".</summary>
    public string Name { get; }

    internal KeyedObject First { get; }

    internal void Add(PSObject o)
    {
        if (!_noElement)
        {
            Group.Add(o);
        }

        Count++;
    }

    /// <summary>The object to write: this group, with PowerShell's type name for formatting and type checks by name.</summary>
    internal PSObject ToPSObject()
    {
        var pso = PSObject.AsPSObject(this);
        pso.TypeNames.Insert(0, PowerShellTypeName);
        return pso;
    }

    // Null keys add nothing to the name; collections show as {a, b}. ToString() uses the current culture, as PowerShell's does.
    private static string BuildName(List<KeyValue> values)
    {
        var parts = new List<string>();
        foreach (var value in values)
        {
            switch (value.Value)
            {
                case null:
                    break;
                case ICollection items:
                    parts.Add("{" + string.Join(", ", items.Cast<object?>().Select(i => i?.ToString())) + "}");
                    break;
                default:
                    parts.Add(value.Value.ToString() ?? string.Empty);
                    break;
            }
        }

        return string.Join(", ", parts);
    }
}
