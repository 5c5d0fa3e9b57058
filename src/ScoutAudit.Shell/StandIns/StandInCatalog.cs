using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace ScoutAudit.Shell.StandIns;

/// <summary>A stand-in cmdlet: PowerShell's name for it and the shell's implementation.</summary>
internal sealed record StandIn(string Name, Type Implementation)
{
    /// <summary>The parameters the stand-in supports, in declaration order (base-class parameters last).</summary>
    public IReadOnlyList<string> Parameters =>
        Implementation.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(ParameterAttribute), inherit: true))
            .Select(p => p.Name)
            .ToList();
}

/// <summary>
/// The everyday commands of PowerShell's Utility module that the engine served here lacks, and the rule that
/// registers them: only where the engine has no command of that name, so a full PowerShell's own cmdlets win.
/// </summary>
internal static class StandInCatalog
{
    public static readonly IReadOnlyList<StandIn> All =
    [
        new("ConvertTo-Json", typeof(ConvertToJsonCommand)),
        new("Format-List", typeof(FormatListCommand)),
        new("Format-Table", typeof(FormatTableCommand)),
        new("Get-Date", typeof(GetDateCommand)),
        new("Group-Object", typeof(GroupObjectCommand)),
        new("Measure-Object", typeof(MeasureObjectCommand)),
        new("Select-Object", typeof(SelectObjectCommand)),
        new("Sort-Object", typeof(SortObjectCommand)),
        new("Write-Host", typeof(WriteHostCommand)),
        new("Write-Output", typeof(WriteOutputCommand)),
    ];

    /// <summary>Adds to <paramref name="state"/> each stand-in the engine lacks; returns the ones added.</summary>
    public static IReadOnlyList<StandIn> Register(InitialSessionState state)
    {
        bool utilityShipped = UtilityModuleShipsWithEngine();
        var added = new List<StandIn>();
        foreach (var standIn in All)
        {
            if (utilityShipped || state.Commands[standIn.Name].Count > 0)
            {
                continue;
            }

            state.Commands.Add(new SessionStateCmdletEntry(standIn.Name, standIn.Implementation, helpFileName: null));
            added.Add(standIn);
        }

        return added;
    }

    // A full PowerShell (pwsh, or a host built on Microsoft.PowerShell.SDK) ships Microsoft.PowerShell.Utility in
    // $PSHOME/Modules and loads it on first use; its cmdlets must then win. Utility modules found elsewhere on
    // $env:PSModulePath belong to another installation and cannot be loaded into this engine, so they do not count.
    private static bool UtilityModuleShipsWithEngine()
    {
        string? psHome = Path.GetDirectoryName(typeof(PSObject).Assembly.Location);
        return psHome is not null &&
               File.Exists(Path.Combine(psHome, "Modules", "Microsoft.PowerShell.Utility", "Microsoft.PowerShell.Utility.psd1"));
    }
}
