using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Completion;

/// <summary>The log a command line being completed points at, and the names it used lately.</summary>
internal static class CompletionLog
{
    /// <summary>
    /// The names of the log given by the command line's -Path (the first, when several), else of the
    /// default log. Completion must never fail: a path that cannot be resolved has no names.
    /// </summary>
    public static RecentNames Names(IDictionary fakeBoundParameters)
    {
        try
        {
            var given = fakeBoundParameters["Path"] switch
            {
                string text => text,
                IEnumerable several => several.Cast<object?>().FirstOrDefault()?.ToString(),
                _ => null,
            };
            var path = string.IsNullOrWhiteSpace(given) ? AuditLog.DefaultPath : given;
            if (path.StartsWith('~')) path = Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[1..]);
            return RecentNames.Read(Path.GetFullPath(path, CurrentLocation()));
        }
        catch (Exception error) when (error is ArgumentException or NotSupportedException or IOException or InvalidOperationException or RuntimeException)
        {
            return RecentNames.None;
        }
    }

    // The user's current file-system location, which the process's current directory need not be.
    // Completion runs inside a pipeline of the runspace, where only a nested command may ask it.
    private static string CurrentLocation()
    {
        if (Runspace.DefaultRunspace is null) return Environment.CurrentDirectory;
        using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        var location = shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>();
        return location.Count == 1 ? location[0].ProviderPath : Environment.CurrentDirectory;
    }
}
