namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>Paths in the repository, found from the test assembly's folder upwards.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The module as the build assembles it; the tests import it by absolute path.</summary>
    public static string ModuleManifest => Path.Combine(Root, "module", "ScoutAudit.psd1");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "ScoutAudit.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No ScoutAudit.sln above {AppContext.BaseDirectory}.");
    }
}
