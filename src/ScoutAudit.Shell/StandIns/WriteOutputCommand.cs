using System.Management.Automation;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Write-Output: -InputObject (also from the pipeline and the remaining arguments)
/// and -NoEnumerate, which writes a collection as one object instead of its elements.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "Output")]
public sealed class WriteOutputCommand : PSCmdlet
{
    /// <summary>The objects to write.</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject? InputObject { get; set; }

    /// <summary>Writes a collection as a single object.</summary>
    [Parameter]
    public SwitchParameter NoEnumerate { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            WriteObject(null);
            return;
        }

        WriteObject(InputObject, !NoEnumerate.IsPresent);
    }
}
