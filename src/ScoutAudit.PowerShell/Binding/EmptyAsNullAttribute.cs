using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Binds an empty or blank string as "not given". Import-Csv yields "" for an empty cell, and
/// PowerShell would turn "" into 0 for a number: an event must not claim a cost of 0 or 0 tokens
/// that nobody recorded.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
    }
}
