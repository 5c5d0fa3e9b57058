using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Binds a point in time the same in every culture and time zone (see <see cref="InvariantInstant"/>);
/// a value that is not one is a binding error of this parameter, which for a piped record is that record's error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class InstantAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => InvariantInstant.ToDateTimeOffset(inputData);
}
