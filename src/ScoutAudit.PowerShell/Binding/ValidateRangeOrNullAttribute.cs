using System.Globalization;
using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// ValidateRange for a setting where <c>$null</c> means "no limit": PowerShell's own
/// <see cref="ValidateRangeAttribute"/> refuses <c>$null</c> even for a nullable parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateRangeOrNullAttribute(long minimum, long maximum) : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (arguments is null) return;
        var value = Convert.ToInt64(arguments is PSObject wrapped ? wrapped.BaseObject : arguments, CultureInfo.InvariantCulture);
        if (value < minimum)
            throw new ValidationMetadataException(string.Create(CultureInfo.InvariantCulture,
                $"The argument {value} is less than the minimum allowed range of {minimum}. Supply an argument that is greater than or equal to {minimum}, or $null for no limit, and then try the command again."));
        if (value > maximum)
            throw new ValidationMetadataException(string.Create(CultureInfo.InvariantCulture,
                $"The argument {value} is greater than the maximum allowed range of {maximum}. Supply an argument that is less than or equal to {maximum}, or $null for no limit, and then try the command again."));
    }
}
