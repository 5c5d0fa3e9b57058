using System.Management.Automation;
using System.Management.Automation.Internal;

namespace ScoutAudit.Shell.StandIns;

/// <summary>The engine's notions of "the value inside" and "no value", which it keeps internal.</summary>
internal static class PSValue
{
    /// <summary>The object a PSObject wraps, or the value itself.</summary>
    public static object? Base(object? value) => value is PSObject pso ? pso.BaseObject : value;

    /// <summary>Null or AutomationNull (the "nothing" a pipeline passes for no output).</summary>
    public static bool IsNull(object? value) => value is null || value == AutomationNull.Value;
}
