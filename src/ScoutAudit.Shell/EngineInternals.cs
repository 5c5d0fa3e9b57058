using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace ScoutAudit.Shell;

/// <summary>
/// The only place where the shell reaches into non-public members of System.Management.Automation.
/// </summary>
/// <remarks>
/// Three behaviours are internal in SMA 7.6.9 (the version this shell pins): stopping the upstream pipeline the
/// way <c>Select-Object -First</c> does, giving a format command the engine's own table/list implementation (the
/// two DESIGN.md names), and letting <c>exit N</c> in a script run by <c>-File</c> end the shell with N, which
/// pwsh's own console host does through the same flag. All members are resolved once, eagerly, so a newer engine
/// that moved them fails at start-up with a message naming the member, and <c>EngineInternalsTests</c> fails
/// loudly in CI before anyone ships it.
/// </remarks>
internal static class EngineInternals
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Assembly Engine = typeof(PSObject).Assembly;

    // new StopUpstreamCommandsException(InternalCommand requestingCommand): Cmdlet derives from InternalCommand.
    private static readonly ConstructorInfo StopUpstreamConstructor = Require(
        Engine.GetType("System.Management.Automation.StopUpstreamCommandsException")
            ?.GetConstructors(Instance)
            .SingleOrDefault(c => c.GetParameters() is [{ ParameterType.Name: "InternalCommand" }]),
        "System.Management.Automation.StopUpstreamCommandsException..ctor(InternalCommand)");

    // FrontEndCommandBase.implementation: the inner command that Format-Table/Format-List delegate to.
    private static readonly FieldInfo ImplementationField = Require(
        typeof(FrontEndCommandBase).GetField("implementation", Instance),
        "Microsoft.PowerShell.Commands.Internal.Format.FrontEndCommandBase.implementation");

    private static readonly Type FormatShapeType = Require(
        Engine.GetType("Microsoft.PowerShell.Commands.Internal.Format.FormatShape"),
        "Microsoft.PowerShell.Commands.Internal.Format.FormatShape");

    // new InnerFormatShapeCommand(FormatShape shape)
    private static readonly ConstructorInfo InnerFormatShapeConstructor = Require(
        Engine.GetType("Microsoft.PowerShell.Commands.Internal.Format.InnerFormatShapeCommand")
            ?.GetConstructor(Instance, [FormatShapeType]),
        "Microsoft.PowerShell.Commands.Internal.Format.InnerFormatShapeCommand..ctor(FormatShape)");

    // Runspace.ExecutionContext, and on it ScriptCommandProcessorShouldRethrowExit: set, the next script file to run
    // lets `exit N` escape to the host (SetShouldExit(N)) instead of only setting $LASTEXITCODE. pwsh -File sets it.
    private static readonly PropertyInfo ExecutionContextProperty = Require(
        typeof(Runspace).GetProperty("ExecutionContext", Instance),
        "System.Management.Automation.Runspaces.Runspace.ExecutionContext");

    private static readonly PropertyInfo RethrowExitProperty = Require(
        ExecutionContextProperty.PropertyType.GetProperty("ScriptCommandProcessorShouldRethrowExit", Instance),
        "System.Management.Automation.ExecutionContext.ScriptCommandProcessorShouldRethrowExit");

    /// <summary>The shapes the shell's format stand-ins ask the engine for.</summary>
    internal enum Shape
    {
        Table,
        List,
    }

    /// <summary>
    /// The exception that, thrown from <paramref name="cmdlet"/>'s ProcessRecord, stops every command upstream of it
    /// while the rest of the pipeline completes normally.
    /// </summary>
    internal static Exception StopUpstreamCommands(Cmdlet cmdlet) =>
        (Exception)StopUpstreamConstructor.Invoke([cmdlet]);

    /// <summary>Makes <paramref name="command"/> format its input exactly as PowerShell's Format-Table/Format-List do.</summary>
    internal static void UseEngineFormatting(FrontEndCommandBase command, Shape shape)
    {
        var shapeValue = Enum.Parse(FormatShapeType, shape.ToString());
        ImplementationField.SetValue(command, InnerFormatShapeConstructor.Invoke([shapeValue]));
    }

    /// <summary>
    /// With <paramref name="exit"/> true, makes the next script file <paramref name="runspace"/> runs end the shell on
    /// <c>exit N</c>, as <c>pwsh -File</c> does: the exit reaches the host's SetShouldExit instead of stopping at the
    /// script's boundary. The first script to start consumes the setting; false withdraws it.
    /// </summary>
    internal static void ExitFromNextScriptFile(Runspace runspace, bool exit) =>
        RethrowExitProperty.SetValue(ExecutionContextProperty.GetValue(runspace), exit);

    /// <summary>
    /// Resolves every member (the static fields above initialize together on first use); a missing one surfaces as a
    /// TypeInitializationException around a MissingMemberException that names it.
    /// </summary>
    internal static void Verify() => _ = StopUpstreamConstructor;

    private static T Require<T>(T? member, string description)
        where T : class =>
        member ?? throw new MissingMemberException(
            $"scoutaudit needs the internal member {description} of System.Management.Automation " +
            $"{Engine.GetName().Version}, and this engine does not have it. The shell was built for 7.6.9; " +
            "update EngineInternals.cs for this engine version.");
}
