using System.Management.Automation;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Format-List: a subclass of the engine's public OuterFormatTableAndListBase running
/// the engine's own list formatter, so -Property (including *), -GroupBy, -View, -Force, -Expand, -DisplayError,
/// -ShowError and the list views of .format.ps1xml files behave exactly as in PowerShell.
/// </summary>
[Cmdlet(VerbsCommon.Format, "List")]
public sealed class FormatListCommand : OuterFormatTableAndListBase
{
    /// <summary>Hands the work to the engine's list formatter.</summary>
    public FormatListCommand()
    {
        EngineInternals.UseEngineFormatting(this, EngineInternals.Shape.List);
    }
}
