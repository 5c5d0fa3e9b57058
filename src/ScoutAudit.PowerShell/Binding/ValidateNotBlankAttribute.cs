using System.Collections;
using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Refuses a -Path that is empty or only white space (PowerShell 7.4's ValidateNotNullOrWhiteSpace,
/// which the 5.1 reference surface the module compiles against lacks): '' must not quietly mean the
/// default log, nor ' ' create a file named by a blank.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateNotBlankAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        foreach (var argument in arguments is IEnumerable and not string ? ((IEnumerable)arguments).Cast<object?>() : [arguments])
        {
            var value = argument is PSObject wrapped ? wrapped.BaseObject : argument;
            if (value is null || (value is string text && string.IsNullOrWhiteSpace(text)))
                throw new ValidationMetadataException("The path is empty or blank; give the path of a log file, or leave -Path out for the default log.");
        }
    }
}
