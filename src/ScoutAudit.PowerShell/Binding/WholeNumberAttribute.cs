using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Binds a whole number the same in every culture (see <see cref="InvariantNumber"/>); a value that is
/// not one (text with separators, 3.7) is a binding error of this parameter, which for a piped record
/// is that record's error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class WholeNumberAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => InvariantNumber.ToInt64(inputData);
}
