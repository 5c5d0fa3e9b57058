namespace ScoutAudit.Shell.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The directory holding ScoutAudit.sln, found above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The assembled module manifest (present once <c>dotnet build ScoutAudit.sln</c> has run).</summary>
    public static string ModuleManifest => Path.Combine(Root, "module", "ScoutAudit.psd1");

    public static bool ModuleBuilt => File.Exists(ModuleManifest);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ScoutAudit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ScoutAudit.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs the assembled module; reported as skipped until the solution build has produced it.</summary>
public sealed class ModuleFactAttribute : FactAttribute
{
    public ModuleFactAttribute()
    {
        if (!Repository.ModuleBuilt)
        {
            Skip = "needs module/ScoutAudit.psd1: run 'dotnet build ScoutAudit.sln' first";
        }
    }
}
