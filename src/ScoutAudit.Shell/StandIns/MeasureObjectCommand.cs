using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;
using Microsoft.PowerShell.Commands;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Measure-Object on numbers: -Property (names, wildcards, script blocks), -Sum,
/// -Average, -Maximum, -Minimum, -StandardDeviation, -AllStats. The count is always given; one result per property.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Object")]
public sealed class MeasureObjectCommand : PSCmdlet
{
    // The key statistics of the input objects themselves are kept under, as in PowerShell.
    private const string ThisObject = "$_";

    private readonly Dictionary<string, Statistics> _statistics = new(StringComparer.OrdinalIgnoreCase);
    private bool _nonNumeric;
    private int _records;

    /// <summary>The objects to measure.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = AutomationNull.Value;

    /// <summary>The properties to measure (names with wildcards, or script blocks).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public PSPropertyExpression[]? Property { get; set; }

    /// <summary>Adds the sum.</summary>
    [Parameter]
    public SwitchParameter Sum { get; set; }

    /// <summary>Adds the mean.</summary>
    [Parameter]
    public SwitchParameter Average { get; set; }

    /// <summary>Adds the largest value.</summary>
    [Parameter]
    public SwitchParameter Maximum { get; set; }

    /// <summary>Adds the smallest value.</summary>
    [Parameter]
    public SwitchParameter Minimum { get; set; }

    /// <summary>Adds the standard deviation.</summary>
    [Parameter]
    public SwitchParameter StandardDeviation { get; set; }

    /// <summary>Adds every statistic.</summary>
    [Parameter]
    public SwitchParameter AllStats { get; set; }

    private bool WantsSum => Sum || AllStats;

    private bool WantsAverage => Average || AllStats;

    private bool WantsMaximum => Maximum || AllStats;

    private bool WantsMinimum => Minimum || AllStats;

    private bool WantsDeviation => StandardDeviation || AllStats;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null || InputObject == AutomationNull.Value)
        {
            return;
        }

        _records++;
        if (Property is null)
        {
            Analyze(ThisObject, InputObject.BaseObject);
            return;
        }

        // A property named twice (or matched by two patterns) counts once per object.
        var counted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var expression in Property)
        {
            var resolved = expression.ResolveNames(InputObject);
            if (resolved.Count == 0)
            {
                if (!expression.HasWildCardCharacters)
                {
                    // Remembered so a property no object has yields no result rather than a zero count.
                    Entry(expression.ToString());
                }

                continue;
            }

            foreach (var name in resolved)
            {
                string propertyName = name.ToString();
                if (!counted.Add(propertyName))
                {
                    continue;
                }

                var values = name.GetValues(InputObject);
                if (values.Count > 0)
                {
                    Analyze(propertyName, values[0].Result);
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_records == 0 && Property is null)
        {
            // Nothing measured still reports a count of 0, like wc.
            Entry(ThisObject);
        }

        foreach (var (name, stat) in _statistics)
        {
            if (stat.Count == 0 && Property is not null)
            {
                continue;
            }

            string? property = Property is null ? null : name;
            bool numeric = (stat.Min is null || LanguagePrimitives.TryConvertTo<double>(stat.Min, out _)) &&
                           (stat.Max is null || LanguagePrimitives.TryConvertTo<double>(stat.Max, out _));
            double? sum = !_nonNumeric && WantsSum ? stat.Sum : null;
            double? average = !_nonNumeric && WantsAverage && stat.Count > 0 ? stat.Sum / stat.Count : null;
            double? deviation = !_nonNumeric && WantsDeviation ? Math.Sqrt(stat.Variance) : null;
            if (numeric)
            {
                WriteObject(new GenericMeasureInfo
                {
                    Count = stat.Count,
                    Average = average,
                    Sum = sum,
                    Maximum = WantsMaximum && stat.Max is not null ? ToDouble(stat.Max) : null,
                    Minimum = WantsMinimum && stat.Min is not null ? ToDouble(stat.Min) : null,
                    StandardDeviation = deviation,
                    Property = property,
                }.ToPSObject());
            }
            else
            {
                WriteObject(new GenericObjectMeasureInfo
                {
                    Count = stat.Count,
                    Average = average,
                    Sum = sum,
                    Maximum = WantsMaximum ? stat.Max : null,
                    Minimum = WantsMinimum ? stat.Min : null,
                    Property = property,
                }.ToPSObject());
            }
        }
    }

    private static double ToDouble(object value)
    {
        LanguagePrimitives.TryConvertTo(value, out double result);
        return result;
    }

    // Keeps the smaller (isMin) or larger of the current value and the best so far. Numbers compare as numbers;
    // values of different kinds compare by their text, as Measure-Object does.
    private static object? Extreme(object? value, object? best, bool isMin)
    {
        object? current = value is not null && LanguagePrimitives.TryConvertTo(value, out double a) ? a : value;
        object? kept = best is not null && LanguagePrimitives.TryConvertTo(best, out double b) ? b : best;
        if (kept is null)
        {
            return value;
        }

        if (current is not null && current.GetType() != kept.GetType())
        {
            current = PSObject.AsPSObject(current).ToString();
            kept = PSObject.AsPSObject(kept).ToString();
        }

        int order = LanguagePrimitives.Compare(kept, current, false, CultureInfo.CurrentCulture);
        return (isMin ? order : -order) > 0 ? value : best;
    }

    private Statistics Entry(string name)
    {
        if (!_statistics.TryGetValue(name, out var stat))
        {
            stat = new Statistics();
            _statistics[name] = stat;
        }

        return stat;
    }

    private void Analyze(string name, object? value)
    {
        var stat = Entry(name);
        stat.Count++;

        if (WantsSum || WantsAverage || WantsDeviation)
        {
            if (!LanguagePrimitives.TryConvertTo(value, out double number))
            {
                _nonNumeric = true;
                WriteError(new ErrorRecord(
                    new PSInvalidOperationException($"Input object \"{value}\" is not numeric."),
                    "NonNumericInputObject",
                    ErrorCategory.InvalidType,
                    value));
                return;
            }

            double previousSum = stat.Sum;
            stat.Sum += number;
            if (WantsDeviation && stat.Count > 1)
            {
                // The running sample variance (n - 1 in the denominator), which is what PowerShell 7.4 reports;
                // later PowerShell versions discuss moving to the population deviation.
                double previousMean = previousSum / (stat.Count - 1);
                stat.Variance *= (stat.Count - 2.0) / (stat.Count - 1);
                stat.Variance += (number - previousMean) * (number - previousMean) / stat.Count;
            }
        }

        if (WantsMinimum)
        {
            stat.Min = Extreme(value, stat.Min, isMin: true);
        }

        if (WantsMaximum)
        {
            stat.Max = Extreme(value, stat.Max, isMin: false);
        }
    }

    private sealed class Statistics
    {
        public int Count { get; set; }

        public double Sum { get; set; }

        public double Variance { get; set; }

        public object? Min { get; set; }

        public object? Max { get; set; }
    }
}
