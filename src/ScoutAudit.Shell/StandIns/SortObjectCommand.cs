using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Sort-Object: -Property (names, wildcards, script blocks, @{Expression=...;
/// Descending=$true}), -Descending, -Unique, -CaseSensitive, -Top, -Bottom, -Stable. The sort is always stable:
/// objects with equal keys keep their input order, which is what PowerShell's -Stable promises and one of the
/// orders its default sort may produce.
/// </summary>
[Cmdlet("Sort", "Object", DefaultParameterSetName = DefaultSet)]
public sealed class SortObjectCommand : PSCmdlet
{
    private const string DefaultSet = "Default";

    private readonly List<PSObject> _input = [];

    /// <summary>The objects to sort.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    /// <summary>Sort keys: names (wildcards allowed), script blocks, or @{Expression=...; Ascending/Descending=$true}.</summary>
    [Parameter(Position = 0)]
    public object[]? Property { get; set; }

    /// <summary>Sorts in descending order (per-key Ascending/Descending in a hashtable override it).</summary>
    [Parameter]
    public SwitchParameter Descending { get; set; }

    /// <summary>Outputs the first of each run of objects with equal keys.</summary>
    [Parameter]
    public SwitchParameter Unique { get; set; }

    /// <summary>Compares strings case-sensitively.</summary>
    [Parameter]
    public SwitchParameter CaseSensitive { get; set; }

    /// <summary>Keeps the input order of objects with equal keys (this stand-in always does).</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter Stable { get; set; }

    /// <summary>Outputs only the first N objects of the sorted order.</summary>
    [Parameter(ParameterSetName = "Top", Mandatory = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Top { get; set; }

    /// <summary>Outputs only the last N objects of the sorted order.</summary>
    [Parameter(ParameterSetName = "Bottom", Mandatory = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Bottom { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is not null && InputObject != AutomationNull.Value)
        {
            _input.Add(InputObject);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_input.Count == 0)
        {
            return;
        }

        SortKeys keys;
        try
        {
            keys = SortKeys.Create(Property, _input[0], _input, PropertySpecification.Keys.Expression | PropertySpecification.Keys.Ascending | PropertySpecification.Keys.Descending);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "DictionaryKeyIllegal", ErrorCategory.InvalidArgument, Property));
            return;
        }

        var entries = _input.Select((o, i) => keys.Evaluate(o, i, this)).ToList();
        var byKeys = KeyedObjectComparer.For(entries, keys.Directions(!Descending), !Descending, CultureInfo.CurrentCulture, CaseSensitive);
        entries.Sort(new StableKeyedObjectComparer(byKeys));

        IEnumerable<KeyedObject> sorted = entries;
        if (Unique)
        {
            sorted = FirstOfEachRun(entries, byKeys);
        }

        if (Top > 0)
        {
            sorted = sorted.Take(Top);
        }
        else if (Bottom > 0)
        {
            sorted = sorted.TakeLast(Bottom);
        }

        foreach (var entry in sorted)
        {
            WriteObject(entry.Input);
        }
    }

    private static IEnumerable<KeyedObject> FirstOfEachRun(List<KeyedObject> sorted, KeyedObjectComparer byKeys)
    {
        KeyedObject? current = null;
        foreach (var entry in sorted)
        {
            if (current is null || byKeys.Compare(current, entry) != 0)
            {
                current = entry;
                yield return entry;
            }
        }
    }
}
