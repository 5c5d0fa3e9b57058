using System.Management.Automation;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Measure-Object's result for numbers, shaped like PowerShell's Microsoft.PowerShell.Commands.GenericMeasureInfo
/// (same properties in the same order); statistics that were not asked for stay null.
/// </summary>
public sealed class GenericMeasureInfo
{
    /// <summary>The number of values measured.</summary>
    public int Count { get; init; }

    /// <summary>The mean, with -Average.</summary>
    public double? Average { get; init; }

    /// <summary>The sum, with -Sum.</summary>
    public double? Sum { get; init; }

    /// <summary>The largest value, with -Maximum.</summary>
    public double? Maximum { get; init; }

    /// <summary>The smallest value, with -Minimum.</summary>
    public double? Minimum { get; init; }

    /// <summary>The standard deviation, with -StandardDeviation.</summary>
    public double? StandardDeviation { get; init; }

    /// <summary>The measured property, or null when the input objects themselves were measured.</summary>
    public string? Property { get; init; }

    internal PSObject ToPSObject() => MeasureTypeNames.Apply(this, "Microsoft.PowerShell.Commands.GenericMeasureInfo");
}

/// <summary>
/// Measure-Object's result when -Maximum or -Minimum met values that are not numbers (strings, dates): the extremes
/// keep their own type, as in PowerShell's Microsoft.PowerShell.Commands.GenericObjectMeasureInfo.
/// </summary>
public sealed class GenericObjectMeasureInfo
{
    /// <summary>The number of values measured.</summary>
    public int Count { get; init; }

    /// <summary>The mean, with -Average.</summary>
    public double? Average { get; init; }

    /// <summary>The sum, with -Sum.</summary>
    public double? Sum { get; init; }

    /// <summary>The largest value, with -Maximum.</summary>
    public object? Maximum { get; init; }

    /// <summary>The smallest value, with -Minimum.</summary>
    public object? Minimum { get; init; }

    /// <summary>The measured property, or null when the input objects themselves were measured.</summary>
    public string? Property { get; init; }

    internal PSObject ToPSObject() => MeasureTypeNames.Apply(this, "Microsoft.PowerShell.Commands.GenericObjectMeasureInfo");
}

internal static class MeasureTypeNames
{
    // PowerShell's type names go first so views and scripts that test PSTypeNames see what they would in pwsh.
    public static PSObject Apply(object result, string typeName)
    {
        var pso = PSObject.AsPSObject(result);
        pso.TypeNames.Insert(0, "Microsoft.PowerShell.Commands.MeasureInfo");
        pso.TypeNames.Insert(0, typeName);
        return pso;
    }
}
