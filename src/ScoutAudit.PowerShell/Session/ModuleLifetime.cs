using System.Management.Automation;

namespace ScoutAudit.PowerShell.Session;

/// <summary>
/// Flushes, syncs and releases every open log when the module is removed or the process ends,
/// so that no line written through the module waits for a cadence that will never come.
/// </summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int s_processExitHooked;

    public void OnImport()
    {
        if (Interlocked.Exchange(ref s_processExitHooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => LogRegistry.Instance.CloseAll();
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => LogRegistry.Instance.CloseAll();
}
