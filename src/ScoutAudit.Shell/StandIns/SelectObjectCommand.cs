using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;
using Microsoft.PowerShell.Commands;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Select-Object: -Property (names, wildcards, script blocks and calculated properties),
/// -ExcludeProperty, -ExpandProperty, -First, -Last, -Skip, -SkipLast, -Unique. Once -First has what it needs it stops
/// the commands upstream, so <c>Get-ScoutAuditEvent | Select-Object -First 5</c> reads no further.
/// </summary>
[Cmdlet(VerbsCommon.Select, "Object", DefaultParameterSetName = DefaultSet)]
public sealed class SelectObjectCommand : PSCmdlet
{
    private const string DefaultSet = "DefaultParameter";
    private const string SkipLastSet = "SkipLastParameter";

    private readonly Queue<PSObject> _queue = new();
    private List<PropertySpecification> _properties = [];
    private PSPropertyExpression? _expand;
    private WildcardPattern[]? _exclude;
    private List<(PSObject Written, int NoteCount)>? _uniques;
    private int _first;
    private int _last;
    private bool _firstOrLast;
    private int _toSkip;
    private int _streamed;
    private bool _ended;

    /// <summary>The objects to select from.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    /// <summary>Properties to select: names (wildcards allowed), script blocks, or @{Name=...; Expression=...}.</summary>
    [Parameter(Position = 0, ParameterSetName = DefaultSet)]
    [Parameter(Position = 0, ParameterSetName = SkipLastSet)]
    public object[]? Property { get; set; }

    /// <summary>Properties to leave out (wildcards allowed); without -Property it implies -Property *.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [Parameter(ParameterSetName = SkipLastSet)]
    public string[]? ExcludeProperty { get; set; }

    /// <summary>A property whose value (each element, for a collection) is output instead of the object.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [Parameter(ParameterSetName = SkipLastSet)]
    public string? ExpandProperty { get; set; }

    /// <summary>Outputs each distinct result once (case-sensitive, as PowerShell compares here), after all input is read.</summary>
    [Parameter]
    public SwitchParameter Unique { get; set; }

    /// <summary>The number of objects to take from the end.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateRange(0, int.MaxValue)]
    public int Last
    {
        get => _last;
        set
        {
            _last = value;
            _firstOrLast = true;
        }
    }

    /// <summary>The number of objects to take from the start; the upstream commands stop once they are out.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateRange(0, int.MaxValue)]
    public int First
    {
        get => _first;
        set
        {
            _first = value;
            _firstOrLast = true;
        }
    }

    /// <summary>Skips objects from the start, or from the end when used with -Last.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    /// <summary>Skips objects from the end.</summary>
    [Parameter(ParameterSetName = SkipLastSet)]
    [ValidateRange(0, int.MaxValue)]
    public int SkipLast { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        try
        {
            if (Property is { Length: > 0 })
            {
                _properties = PropertySpecification.Parse(Property, PropertySpecification.Keys.Name | PropertySpecification.Keys.Expression);
            }

            if (!string.IsNullOrEmpty(ExpandProperty))
            {
                _expand = new PSPropertyExpression(ExpandProperty);
            }
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "DictionaryKeyIllegal", ErrorCategory.InvalidArgument, Property));
        }

        if (ExcludeProperty is not null)
        {
            _exclude = ExcludeProperty.Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase)).ToArray();
            if (_properties.Count == 0)
            {
                // -ExcludeProperty alone means "every property but these".
                Property = ["*"];
                _properties = PropertySpecification.Parse(Property, PropertySpecification.Keys.Name | PropertySpecification.Keys.Expression);
            }
        }

        _toSkip = Skip;
        if (Unique)
        {
            _uniques = [];
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null || InputObject == AutomationNull.Value)
        {
            return;
        }

        Enqueue(InputObject);
        if (StreamingDequeue() is { } ready)
        {
            ProcessObjectReportingErrors(ready);
        }

        if (_firstOrLast && _last == 0 && _first != 0 && _streamed >= _first)
        {
            // Everything asked for is out: finish here and tell the engine to stop the commands upstream.
            EndProcessing();
            throw EngineInternals.StopUpstreamCommands(this);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        if (ParameterSetName == DefaultSet)
        {
            // With -First the queue holds the -Last tail; otherwise it holds -Last plus -Skip objects, the final
            // -Skip of which are skipped.
            while (_queue.Count > (_first != 0 ? 0 : Skip))
            {
                ProcessObjectReportingErrors(_queue.Dequeue());
            }
        }

        foreach (var (written, _) in _uniques ?? [])
        {
            WriteObject(written);
        }
    }

    private void Enqueue(PSObject o)
    {
        // -Last keeps a bounded tail: -Last + -Skip objects without -First, -Last objects with it.
        if (_last > 0 && ((_first == 0 && _queue.Count >= _last + Skip) || (_first != 0 && _queue.Count >= _last)))
        {
            _queue.Dequeue();
        }

        _queue.Enqueue(o);
    }

    // Returns the object to process now, if any, following Select-Object's streaming rules.
    private PSObject? StreamingDequeue()
    {
        if (_toSkip > 0)
        {
            if (_last == 0 || _first != 0)
            {
                _queue.Dequeue();
                _toSkip--;
            }

            return null;
        }

        if (SkipLast > 0)
        {
            return _queue.Count > SkipLast ? _queue.Dequeue() : null;
        }

        if (!_firstOrLast || _streamed < _first)
        {
            _streamed++;
            return _queue.Dequeue();
        }

        if (_last == 0)
        {
            // -First is satisfied (or was 0): drop the rest.
            _queue.Dequeue();
        }

        return null;
    }

    private void ProcessObjectReportingErrors(PSObject input)
    {
        try
        {
            ProcessObject(input);
        }
        catch (ExpandException e)
        {
            WriteError(e.ErrorRecord);
        }
    }

    private void ProcessObject(PSObject input)
    {
        if (_properties.Count == 0 && _expand is null)
        {
            FilteredWrite(input, []);
            return;
        }

        var notes = new List<PSNoteProperty>();
        foreach (var property in _properties)
        {
            AddProperty(property, input, notes);
        }

        if (_expand is not null)
        {
            Expand(input, notes);
            return;
        }

        var result = new PSObject();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var note in notes)
        {
            if (names.Add(note.Name))
            {
                result.Properties.Add(note);
            }
            else
            {
                WriteAlreadyExistingPropertyError(note.Name, input, "AlreadyExistingUserSpecifiedPropertyNoExpand");
            }
        }

        FilteredWrite(result, notes);
    }

    private void AddProperty(PropertySpecification property, PSObject input, List<PSNoteProperty> notes)
    {
        var expression = property.Expression;
        var results = new List<PSPropertyExpressionResult>();
        foreach (var resolved in expression.ResolveNames(input))
        {
            if (!IsExcluded(resolved))
            {
                results.AddRange(resolved.GetValues(input) ?? []);
            }
        }

        if (results.Count == 0 && !expression.HasWildCardCharacters)
        {
            // A property the object does not have still becomes a (null) property of the result.
            results.Add(new PSPropertyExpressionResult(null, expression, null));
        }
        else if (property.Name is not null && results.Count > 1)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"The calculated property \"{property.Name}\" resolves to several properties, and several properties cannot share one name."),
                "RenamingMultipleResults",
                ErrorCategory.InvalidOperation,
                input));
            return;
        }

        foreach (var result in results)
        {
            if (IsExcluded(result.ResolvedExpression))
            {
                continue;
            }

            string name = property.Name ?? result.ResolvedExpression.ToString();
            if (string.IsNullOrEmpty(name))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("A script block that evaluates to an empty name needs a Name key: @{Name='...'; Expression={...}}.", nameof(Property)),
                    "EmptyScriptBlockAndNoName",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            notes.Add(new PSNoteProperty(name, result.Result));
        }
    }

    private void Expand(PSObject input, List<PSNoteProperty> notes)
    {
        var results = _expand!.GetValues(input);
        if (results.Count == 0)
        {
            throw new ExpandException(new ErrorRecord(
                new PSArgumentException($"Property \"{ExpandProperty}\" cannot be found.", nameof(ExpandProperty)),
                "ExpandPropertyNotFound",
                ErrorCategory.InvalidArgument,
                input));
        }

        if (results.Count > 1)
        {
            throw new ExpandException(new ErrorRecord(
                new PSArgumentException($"Multiple properties cannot be expanded: \"{ExpandProperty}\" matches several.", nameof(ExpandProperty)),
                "MutlipleExpandProperties",
                ErrorCategory.InvalidArgument,
                input));
        }

        var result = results[0];
        if (result.Exception is not null)
        {
            throw new ExpandException(new ErrorRecord(result.Exception, "PropertyEvaluationExpand", ErrorCategory.InvalidResult, input));
        }

        if (result.Result is null)
        {
            return;
        }

        var values = LanguagePrimitives.GetEnumerable(result.Result);
        if (values is null)
        {
            FilteredWrite(WithNotes(result.Result, input, notes), notes);
            return;
        }

        foreach (object? value in values)
        {
            if (value is not null)
            {
                FilteredWrite(WithNotes(value, input, notes), notes);
            }
        }
    }

    // The selected properties ride along on each expanded value. A plain .NET value gets a wrapper of its own, so the
    // notes stay off other uses of that value; a PSObject takes them itself, as in PowerShell.
    private PSObject WithNotes(object value, PSObject input, List<PSNoteProperty> notes)
    {
        if (notes.Count == 0)
        {
            return PSObject.AsPSObject(value);
        }

        var expanded = value as PSObject ?? new PSObject(value);
        foreach (var note in notes)
        {
            if (expanded.Properties[note.Name] is not null)
            {
                WriteAlreadyExistingPropertyError(note.Name, input, "AlreadyExistingUserSpecifiedPropertyExpand");
            }
            else
            {
                expanded.Properties.Add(note);
            }
        }

        return expanded;
    }

    private void FilteredWrite(PSObject o, List<PSNoteProperty> notes)
    {
        if (_uniques is null)
        {
            MarkSelected(o, notes.Count > 0);
            WriteObject(o);
            return;
        }

        var comparer = new ObjectComparer(ascending: true, CultureInfo.CurrentCulture, caseSensitive: true);
        foreach (var (written, noteCount) in _uniques)
        {
            if (comparer.Compare(o.BaseObject, written.BaseObject) != 0 || noteCount != notes.Count)
            {
                continue;
            }

            if (notes.All(n => written.Properties[n.Name] is { } p && comparer.Compare(p.Value, n.Value) == 0))
            {
                return;
            }
        }

        MarkSelected(o, notes.Count > 0);
        _uniques.Add((o, notes.Count));
    }

    // Custom objects that come out of Select-Object carry "Selected.<type of the input>" first in their type names.
    private void MarkSelected(PSObject o, bool newObject)
    {
        if (o.ImmediateBaseObject is PSCustomObject)
        {
            string typeName = "Selected." + InputObject.BaseObject.GetType().FullName;
            if (newObject || !o.TypeNames.Contains(typeName))
            {
                o.TypeNames.Insert(0, typeName);
            }
        }
    }

    private bool IsExcluded(PSPropertyExpression expression) =>
        _exclude is not null && _exclude.Any(p => p.IsMatch(expression.ToString()));

    private void WriteAlreadyExistingPropertyError(string name, PSObject input, string errorId) =>
        WriteError(new ErrorRecord(
            new PSArgumentException($"The property cannot be processed because the property \"{name}\" already exists.", nameof(Property)),
            errorId,
            ErrorCategory.InvalidOperation,
            input));

    // A per-object failure of -ExpandProperty: reported as a non-terminating error, then selection goes on.
    private sealed class ExpandException(ErrorRecord errorRecord) : Exception(errorRecord.Exception.Message)
    {
        public ErrorRecord ErrorRecord { get; } = errorRecord;
    }
}
