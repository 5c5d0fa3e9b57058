using System.Management.Automation;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Format-Table: the same class PowerShell's is (a subclass of the engine's public
/// OuterFormatTableBase) running the engine's own table formatter, so every parameter of that base (-Property,
/// -AutoSize, -Wrap, -HideTableHeaders, -RepeatHeader, -GroupBy, -View, -Force, -Expand, -DisplayError,
/// -ShowError) and every view from a .format.ps1xml behave exactly as in PowerShell.
/// </summary>
[Cmdlet(VerbsCommon.Format, "Table")]
public sealed class FormatTableCommand : OuterFormatTableBase
{
    /// <summary>Hands the work to the engine's table formatter.</summary>
    public FormatTableCommand()
    {
        EngineInternals.UseEngineFormatting(this, EngineInternals.Shape.Table);
    }
}
