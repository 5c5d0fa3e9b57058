using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Binds a point in time by the module's one rule for times (<see cref="InvariantInstant"/>), the same
/// in every culture and time zone, in place of PowerShell's binder, which reads text for a compiled
/// cmdlet in the current culture. Every parameter that takes a time carries it; a value that is not
/// one is a binding error of this parameter, which for a piped record is that record's error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class InstantAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => InvariantInstant.ToDateTimeOffset(inputData);
}
