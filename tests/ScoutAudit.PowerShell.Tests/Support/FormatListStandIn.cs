using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>
/// Format-List for a hosted runspace, which has none: the engine's own list formatter behind the
/// public <see cref="OuterFormatTableAndListBase"/>, reached through the internal members DESIGN.md
/// names (FrontEndCommandBase.implementation, InnerFormatShapeCommand(FormatShape.List)), so the
/// module's list view renders exactly as in PowerShell. Fails loudly if SMA moves them.
/// </summary>
[Cmdlet(VerbsCommon.Format, "List")]
public sealed class FormatListStandIn : OuterFormatTableAndListBase
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public FormatListStandIn()
    {
        var engine = typeof(PSObject).Assembly;
        var shape = engine.GetType("Microsoft.PowerShell.Commands.Internal.Format.FormatShape", throwOnError: true)!;
        var inner = engine.GetType("Microsoft.PowerShell.Commands.Internal.Format.InnerFormatShapeCommand", throwOnError: true)!
            .GetConstructor(Instance, [shape])
            ?? throw new MissingMemberException("InnerFormatShapeCommand(FormatShape)");
        var implementation = typeof(FrontEndCommandBase).GetField("implementation", Instance)
            ?? throw new MissingMemberException("FrontEndCommandBase.implementation");
        implementation.SetValue(this, inner.Invoke([Enum.Parse(shape, "List")]));
    }

    /// <summary>The module imported, plus this Format-List.</summary>
    public static InitialSessionState ModuleWithFormatList()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([Repository.ModuleManifest]);
        state.Commands.Add(new SessionStateCmdletEntry("Format-List", typeof(FormatListStandIn), null));
        return state;
    }
}
