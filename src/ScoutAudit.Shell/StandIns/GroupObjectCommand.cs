using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Group-Object: -Property (names, wildcards, script blocks, @{Expression=...}),
/// -NoElement, -AsHashTable, -AsString, -CaseSensitive. As in PowerShell 7, groups come out sorted by their key
/// when all keys are of one type, and in order of first appearance otherwise.
/// </summary>
[Cmdlet(VerbsData.Group, "Object", DefaultParameterSetName = "Default")]
public sealed class GroupObjectCommand : PSCmdlet
{
    private readonly List<KeyedObject> _entries = [];
    private SortKeys? _keys;
    private Type?[]? _keyTypes;
    private bool _mixedTypes;

    /// <summary>The objects to group.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    /// <summary>Grouping keys: names (wildcards allowed), script blocks, or @{Expression=...}.</summary>
    [Parameter(Position = 0)]
    public object[]? Property { get; set; }

    /// <summary>Leaves the Group property empty; only names and counts are kept.</summary>
    [Parameter]
    public SwitchParameter NoElement { get; set; }

    /// <summary>Returns one hashtable: key value to the objects of its group.</summary>
    [Parameter(ParameterSetName = "HashTable")]
    [Alias("AHT")]
    public SwitchParameter AsHashTable { get; set; }

    /// <summary>With -AsHashTable, uses the group names (strings) as keys.</summary>
    [Parameter(ParameterSetName = "HashTable")]
    public SwitchParameter AsString { get; set; }

    /// <summary>Compares key values case-sensitively.</summary>
    [Parameter]
    public SwitchParameter CaseSensitive { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null || InputObject == AutomationNull.Value)
        {
            return;
        }

        if (_keys is null)
        {
            if (AsString && !AsHashTable)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-AsString can only be used with -AsHashTable."), "ArgumentException", ErrorCategory.InvalidArgument, AsString));
            }

            try
            {
                _keys = SortKeys.Create(Property, InputObject, [InputObject], PropertySpecification.Keys.Expression);
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "DictionaryKeyIllegal", ErrorCategory.InvalidArgument, Property));
                return;
            }

            if (AsHashTable && !AsString && _keys.Count > 1)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-AsHashTable without -AsString groups by a single property only."), "ArgumentException", ErrorCategory.InvalidArgument, Property));
            }
        }

        var entry = _keys.Evaluate(InputObject, _entries.Count, this);
        _entries.Add(entry);
        TrackKeyTypes(entry);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_entries.Count == 0)
        {
            return;
        }

        var comparer = new KeyedObjectComparer(
            Enumerable.Repeat(true, _entries[0].Values.Count).ToArray(), CultureInfo.CurrentCulture, CaseSensitive);
        var groups = new List<GroupInfo>();
        if (!_mixedTypes)
        {
            // One type per key: sort (stably) by key and cut the runs of equal keys.
            foreach (var entry in _entries.OrderBy(e => e, comparer))
            {
                if (groups.Count > 0 && comparer.Compare(groups[^1].First, entry) == 0)
                {
                    groups[^1].Add(entry.Input);
                }
                else
                {
                    groups.Add(new GroupInfo(entry, NoElement));
                }
            }
        }
        else
        {
            foreach (var entry in _entries)
            {
                var match = groups.FirstOrDefault(g => comparer.Compare(g.First, entry) == 0);
                if (match is null)
                {
                    groups.Add(new GroupInfo(entry, NoElement));
                }
                else
                {
                    match.Add(entry.Input);
                }
            }
        }

        if (!AsHashTable)
        {
            foreach (var group in groups)
            {
                WriteObject(group.ToPSObject());
            }

            return;
        }

        var table = new Hashtable(CaseSensitive ? StringComparer.CurrentCulture : StringComparer.CurrentCultureIgnoreCase);
        try
        {
            foreach (var group in groups)
            {
                object? key = AsString ? group.Name : PSValue.Base(group.Values[0]);
                table.Add(key!, group.Group);
            }
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(new InvalidOperationException("The groups cannot be put into one hashtable: " + e.Message, e), "InvalidOperation", ErrorCategory.InvalidArgument, null));
            return;
        }

        WriteObject(table);
    }

    // Group-Object keeps the sorted fast path only while every key holds values of one type (nulls fit any type).
    private void TrackKeyTypes(KeyedObject entry)
    {
        if (_mixedTypes)
        {
            return;
        }

        var types = entry.Values.Select(v => PSValue.Base(v.Value)?.GetType()).ToArray();
        if (_keyTypes is null)
        {
            _keyTypes = types;
            return;
        }

        if (_keyTypes.Length != types.Length)
        {
            _mixedTypes = true;
            return;
        }

        for (int i = 0; i < types.Length; i++)
        {
            if (types[i] is null || types[i] == _keyTypes[i])
            {
                continue;
            }

            if (_keyTypes[i] is null)
            {
                _keyTypes[i] = types[i];
            }
            else
            {
                _mixedTypes = true;
                return;
            }
        }
    }
}
