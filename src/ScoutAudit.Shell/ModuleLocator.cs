namespace ScoutAudit.Shell;

/// <summary>Where the ScoutAudit module manifest is, or why it was not found.</summary>
/// <param name="Path">The absolute path of ScoutAudit.psd1, or null when there is none to import.</param>
/// <param name="Problem">Why no module is imported (null when <paramref name="Path"/> is set or none was asked for).</param>
internal sealed record ModuleLocation(string? Path, string? Problem);

/// <summary>
/// Finds the module: <c>$env:SCOUT_AUDIT_MODULE</c> (a .psd1 path), else <c>module/ScoutAudit.psd1</c> beside the
/// program, else the nearest <c>module/ScoutAudit.psd1</c> in a parent directory (a build tree: the program runs
/// from <c>src/ScoutAudit.Shell/bin/...</c> and the build assembles <c>module/</c> at the repository root).
/// </summary>
internal static class ModuleLocator
{
    internal const string EnvironmentVariable = "SCOUT_AUDIT_MODULE";
    private const string RelativeManifest = "module/ScoutAudit.psd1";

    public static ModuleLocation Locate(string? explicitPath, string baseDirectory)
    {
        if (explicitPath is not null)
        {
            return explicitPath.Length == 0 ? new ModuleLocation(null, null) : FromSetting(explicitPath, "the shell's options");
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit setting wins even when it is wrong: silently importing some other build would hide the mistake.
            return FromSetting(fromEnvironment, "$env:" + EnvironmentVariable);
        }

        for (var directory = new DirectoryInfo(baseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = System.IO.Path.Combine(directory.FullName, RelativeManifest);
            if (File.Exists(candidate))
            {
                return new ModuleLocation(System.IO.Path.GetFullPath(candidate), null);
            }
        }

        return new ModuleLocation(
            null,
            $"the ScoutAudit module was not found: $env:{EnvironmentVariable} is not set and there is no " +
            $"{RelativeManifest} in {baseDirectory} or any directory above it (build it with 'dotnet build ScoutAudit.sln')");
    }

    private static ModuleLocation FromSetting(string path, string source)
    {
        string full = System.IO.Path.GetFullPath(path);
        return File.Exists(full)
            ? new ModuleLocation(full, null)
            : new ModuleLocation(null, $"the ScoutAudit module named by {source} does not exist: {full}");
    }
}
